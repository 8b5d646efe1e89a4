import SDP
import Testing

@Suite("SDP typed attributes")
struct SDPTypedAttributeTests {
    @Test func chromeOffer() throws {
        let offer = try SessionDescription.parse(SDPFixtures.chromeOffer)
        #expect(offer.origin.sessionID == "5770226839281936457")
        #expect(offer.origin.sessionVersionNumber == 2)
        #expect(offer.bundleGroup == SDPGroup(semantics: "BUNDLE", mids: ["0"]))
        #expect(offer.attributeValue(named: "msid-semantic") == " WMS b157b676-bdd4-4d0c-b12b-3c2750f65035")
        #expect(offer.hasAttribute(named: "extmap-allow-mixed"))

        let audio = try #require(offer.media.first)
        #expect(audio.type == .audio)
        #expect(audio.port == 50318)
        #expect(audio.proto == "UDP/TLS/RTP/SAVPF")
        #expect(audio.isRTP && audio.usesDTLS)
        #expect(audio.formats == ["111", "63", "9", "0", "8", "13", "110", "126"])
        #expect(audio.mid == "0")
        #expect(offer.media(withMID: "0") == audio)
        #expect(audio.iceUfrag == "aK3P")
        #expect(audio.icePwd == "Yq2u0lT1hBkzX9d3GmN7pR5s")
        #expect(audio.iceOptions == ["trickle"])
        #expect(audio.setupRole == .actpass)
        #expect(audio.rtcpMux)
        #expect(audio.rtcp == RTCPAttribute(port: 9, connection: SDPConnection(address: "0.0.0.0")))
        #expect(audio.explicitDirection == .sendrecv)
        #expect(offer.direction(of: audio) == .sendrecv)
        #expect(offer.connection(of: audio) == SDPConnection(address: "127.0.0.1"))

        let fingerprint = try #require(audio.fingerprints.first)
        #expect(fingerprint.hashFunction == "sha-256")
        #expect(fingerprint.bytes.count == 32)
        #expect(fingerprint.bytes.prefix(3) == [0xD0, 0xC6, 0x4B])
        #expect(fingerprint.attribute == audio.attributes(named: "fingerprint").first)

        let opus = try #require(audio.rtpMap(forPayloadType: 111))
        #expect(opus == RTPMap(payloadType: 111, encodingName: "opus", clockRate: 48000, channels: 2))
        let opusParameters = try #require(audio.formatParameters(forPayloadType: 111))
        #expect(opusParameters.parameters == "minptime=10;useinbandfec=1")
        #expect(opusParameters["useinbandfec"] == "1")
        #expect(opusParameters["minptime"] == "10")
        #expect(audio.formatParameters(forPayloadType: 63)?.parameterList == [.init(name: "111/111")])
        #expect(audio.rtpMap(forPayloadType: 9)?.channelCount == 1)
        #expect(audio.mediaFormats.map { $0.rtpMap?.encodingName } == [
            "opus", "red", "G722", "PCMU", "PCMA", "CN", "telephone-event", "telephone-event",
        ])
        #expect(audio.firstFormat(encoding: "TELEPHONE-EVENT", clockRate: 8000)?.payloadType == 126)
        #expect(audio.firstFormat(encoding: "pcmu")?.payloadType == 0)

        #expect(audio.extensionMaps.map(\.id) == [1, 2, 3, 4])
        #expect(audio.extensionMaps[3].uri == "urn:ietf:params:rtp-hdrext:sdes:mid")
        #expect(audio.msid?.streamID == "b157b676-bdd4-4d0c-b12b-3c2750f65035")
        #expect(audio.msid?.appData == "1b70369c-f5c9-4b3b-bbe5-335985218f1a")
        #expect(audio.ssrcs == [2_849_412_743])
        #expect(audio.cname(ofSSRC: 2_849_412_743) == "Xo3bVq1m9sD4yTzL")
        #expect(audio.ssrcAttributes.map(\.name) == ["cname", "msid"])

        #expect(audio.candidates.count == 2)
        let udp = audio.candidates[0]
        #expect(udp.foundation == "3028146350")
        #expect(udp.component == 1)
        #expect(udp.isUDP)
        #expect(udp.priority == 2_122_260_223)
        #expect(udp.address == "127.0.0.1")
        #expect(udp.port == 50318)
        #expect(udp.type == .host)
        #expect(udp.extensionValue("generation") == "0")
        #expect(udp.extensionValue("network-cost") == "10")
        let tcp = audio.candidates[1]
        #expect(!tcp.isUDP)
        #expect(tcp.tcpType == "active")
        #expect(tcp.port == 9)
        #expect(audio.candidates.map(\.attribute) == audio.attributes(named: "candidate"))
    }

    @Test func firefoxOfferInheritsSessionLevelValues() throws {
        let offer = try SessionDescription.parse(SDPFixtures.firefoxOffer)
        let audio = try #require(offer.media.first)
        #expect(audio.fingerprints.isEmpty)
        #expect(offer.fingerprints(of: audio).first?.bytes.first == 0x2B)
        #expect(offer.iceOptions == ["trickle"])
        #expect(offer.iceCredentials(of: audio)?.ufrag == "fed34101")
        #expect(offer.setupRole(of: audio) == .actpass)
        #expect(audio.endOfCandidates)
        #expect(
            audio.extensionMaps[1]
                == ExtMap(id: 2, direction: .recvonly, uri: "urn:ietf:params:rtp-hdrext:csrc-audio-level"))
        let g722 = RTPMap(payloadType: 9, encodingName: "G722", clockRate: 8000, channels: 1)
        #expect(audio.rtpMap(forPayloadType: 9) == g722)
        #expect(audio.formatParameters(forPayloadType: 109)?["stereo"] == "1")
        #expect(audio.formatParameters(forPayloadType: 101)?.parameters == "0-15")
        #expect(audio.msid?.streamID == "{74628d24-644c-4f39-aa7f-ca3887547821}")
        let srflx = audio.candidates[2]
        #expect(srflx.transport == "UDP")
        #expect(srflx.type == .serverReflexive)
        #expect(srflx.relatedAddress == "192.168.1.23")
        #expect(srflx.relatedPort == 41734)
        #expect(srflx.attributeValue == "1 1 UDP 1686052863 203.0.113.7 41734 typ srflx raddr 192.168.1.23 rport 41734")
    }

    @Test func classicOffers() throws {
        let baresip = try SessionDescription.parse(SDPFixtures.baresipOffer)
        let audio = try #require(baresip.media.first)
        #expect(audio.proto == "RTP/AVP")
        #expect(audio.isRTP && !audio.usesDTLS)
        #expect(audio.connections.isEmpty)
        #expect(baresip.connection(of: audio) == SDPConnection(addressType: "IP4", address: "127.0.0.1"))
        #expect(audio.ptime == 20)
        #expect(audio.cname(ofSSRC: 1_613_256_890) == "sip:alice@example.org")
        #expect(audio.firstFormat(encoding: "telephone-event")?.parameters?.parameters == "0-15")
        #expect(baresip.attributeValue(named: "tool") == "baresip 3.10.1")

        let linphone = try SessionDescription.parse(SDPFixtures.linphoneOffer)
        let linphoneAudio = try #require(linphone.media.first)
        // RFC 3551 static payload types stand in for the missing rtpmap lines.
        #expect(linphoneAudio.rtpMap(forPayloadType: 0)?.encodingName == "PCMU")
        #expect(linphoneAudio.rtpMap(forPayloadType: 8)?.encodingName == "PCMA")
        #expect(linphoneAudio.rtpMaps.count == 1)
        #expect(linphoneAudio.mediaFormats.map { $0.rtpMap?.clockRate } == [8000, 8000, 8000])
        #expect(linphoneAudio.rtcp == RTCPAttribute(port: 7079))
        let rtcpXR = "rcvr-rtt=all:10000 stat-summary=loss,dup,jitt,TTL voip-metrics"
        #expect(linphone.attributeValue(named: "rtcp-xr") == rtcpXR)
        #expect(linphone.direction(of: linphoneAudio) == .sendrecv)
    }

    @Test func ipv6Connections() throws {
        let offer = try SessionDescription.parse(SDPFixtures.ipv6Offer)
        #expect(offer.origin.addressType == "IP6")
        #expect(offer.origin.address == "2001:db8::20")
        #expect(offer.connection?.isIPv6 == true)
        #expect(offer.media.map { offer.connection(of: $0)?.host } == ["2001:db8::20", "2001:db8::20"])
        #expect(offer.media[1].type == .video)
        #expect(offer.media[1].rtpMap(forPayloadType: 107)?.clockRate == 90000)

        let dual = try SessionDescription.parse(SDPFixtures.dualStackOffer)
        #expect(dual.sessionName == "")
        #expect(dual.groups == [SDPGroup(semantics: "ANAT", mids: ["1", "2"])])
        #expect(dual.media.map { dual.connection(of: $0)?.isIPv6 } == [true, false])
        #expect(dual.media(withMID: "2")?.port == 22334)
    }

    @Test func aiortcAnswer() throws {
        let answer = try SessionDescription.parse(SDPFixtures.aiortcAnswer)
        let audio = try #require(answer.media.first)
        #expect(audio.setupRole == .active)
        #expect(audio.fingerprints.map(\.hashFunction) == ["sha-256", "sha-384", "sha-512"])
        #expect(audio.fingerprints.map(\.bytes.count) == [32, 48, 64])
        #expect(audio.candidates.first?.foundation == "451a510e1c693e84f603177fa4a2315c")
        #expect(audio.candidates.first?.priority == 2_130_706_431)
        #expect(audio.endOfCandidates)
        #expect(audio.mediaFormats.compactMap(\.payloadType) == [111, 0, 8])
        #expect(audio.mediaFormats.allSatisfy { $0.parameters == nil })
    }

    @Test(arguments: [
        "a1b2 1 udp 2130706431 ::1 9 typ host tcptype passive",
        "candidate:842163049 1 udp 1677729535 198.51.100.7 61256 typ srflx raddr 0.0.0.0 rport 0 generation 0",
        "3 2 TCP 16777215 203.0.113.9 3478 typ relay raddr 198.51.100.7 rport 61256",
        "x/+Y 256 udp 0 7c4a2d5e-1111-2222-3333-444455556666.local 54321 typ host",
    ])
    func candidatesRenderBackToTheirValue(_ value: String) throws {
        let candidate = try ICECandidate(attributeValue: value)
        let expected = value.hasPrefix("candidate:") ? String(value.dropFirst("candidate:".count)) : value
        #expect(candidate.attributeValue == expected)
        #expect(try ICECandidate(attributeValue: candidate.attributeValue) == candidate)
    }

    @Test func fingerprintAcceptsLowercaseAndWritesUppercase() throws {
        let fingerprint = try Fingerprint(
            attributeValue: "SHA-1 4a:ad:b9:b1:3f:82:18:3b:54:02:12:df:3e:5d:49:6b:19:e5:7c:ab")
        #expect(fingerprint.hashFunction == "sha-1")
        #expect(fingerprint.bytes.count == 20)
        #expect(fingerprint.attributeValue == "sha-1 4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B:19:E5:7C:AB")
        // An unregistered hash function has no length to check.
        #expect(try Fingerprint(attributeValue: "x-hash 01:02").bytes == [1, 2])
    }

    @Test func directionOverridesAndDefaults() throws {
        var description = try SessionDescription.parse(SDPFixtures.ipv6Offer)
        #expect(description.direction(of: description.media[0]) == .sendrecv)
        description.explicitDirection = .sendonly
        #expect(description.direction(of: description.media[0]) == .sendonly)
        description.media[0].explicitDirection = .inactive
        #expect(description.direction(of: description.media[0]) == .inactive)
        #expect(description.direction(of: description.media[1]) == .sendonly)
        #expect(MediaDirection.sendonly.reversed == .recvonly)
        #expect(MediaDirection.sendrecv.sends && MediaDirection.sendrecv.receives)
        #expect(SetupRole.actpass.answerRole == .active)
    }

    @Test func staticPayloadTypes() {
        #expect(RTPMap.staticPayloadType(0) == RTPMap(payloadType: 0, encodingName: "PCMU", clockRate: 8000))
        #expect(RTPMap.staticPayloadType(18)?.encodingName == "G729")
        #expect(RTPMap.staticPayloadType(96) == nil)
    }

    @Test func sessionVersionIncrements() {
        var origin = SDPOrigin(sessionID: "1", sessionVersion: "99", address: "192.0.2.1")
        origin.incrementSessionVersion()
        #expect(origin.sessionVersion == "100")
        origin.sessionVersion = "18446744073709551615"
        origin.incrementSessionVersion()
        #expect(origin.sessionVersion == "18446744073709551616")
        #expect(origin.sessionVersionNumber == nil)
        origin.sessionVersion = "x"
        origin.incrementSessionVersion()
        #expect(origin.sessionVersion == "1")
    }
}
