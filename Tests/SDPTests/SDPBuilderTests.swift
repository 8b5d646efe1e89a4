import SDP
import Testing

@Suite("SDP builders")
struct SDPBuilderTests {
    /// The offer Parley makes to a browser: ICE-lite, BUNDLE, DTLS fingerprint, Opus and PCMU.
    static func webRTCOffer() throws -> SessionDescription {
        var offer = SessionDescription(
            origin: SDPOrigin(sessionID: "4611731400430051336", sessionVersion: "1", address: "127.0.0.1"))
        offer.isICELite = true
        offer.groups = [.bundle(["0"])]
        var audio = MediaDescription(
            type: .audio, port: 40_000, proto: "UDP/TLS/RTP/SAVPF", connections: [SDPConnection(address: "127.0.0.1")])
        audio.mid = "0"
        audio.addCodec(
            RTPMap(payloadType: 111, encodingName: "opus", clockRate: 48000, channels: 2),
            parameters: [.init(name: "minptime", value: "10"), .init(name: "useinbandfec", value: "1")])
        audio.addCodec(RTPMap(payloadType: 0, encodingName: "PCMU", clockRate: 8000))
        audio.addCodec(RTPMap(payloadType: 101, encodingName: "telephone-event", clockRate: 8000),
            parameters: [.init(name: "0-15")])
        audio.iceUfrag = "PaRl"
        audio.icePwd = "0123456789abcdefABCDEF+/"
        audio.fingerprints = [Fingerprint(hashFunction: "sha-256", bytes: Array(0..<32))]
        audio.setupRole = .actpass
        audio.explicitDirection = .sendrecv
        audio.rtcpMux = true
        audio.addCandidate(
            ICECandidate(
                foundation: "1",
                priority: ICECandidate.priority(typePreference: 126, localPreference: 65_535, component: 1),
                address: "127.0.0.1", port: 40_000))
        audio.endOfCandidates = true
        audio.addAttribute(SSRCAttribute(ssrc: 0x1234_5678, name: "cname", value: "parley"))
        audio.ptime = 20
        offer.media.append(audio)
        return offer
    }

    @Test func builtOfferParsesBackToTheSameModel() throws {
        let offer = try Self.webRTCOffer()
        let text = offer.serialized()
        let parsed = try SessionDescription.parse(text)
        #expect(parsed == offer)
        #expect(parsed.serialized() == text)
        #expect(text.hasPrefix("v=0\r\no=- 4611731400430051336 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=ice-lite\r\n"))
        #expect(text.contains("\r\nm=audio 40000 UDP/TLS/RTP/SAVPF 111 0 101\r\nc=IN IP4 127.0.0.1\r\n"))
        #expect(text.contains("\r\na=fmtp:111 minptime=10;useinbandfec=1\r\n"))
        #expect(text.contains("\r\na=fmtp:101 0-15\r\n"))
        #expect(text.contains("\r\na=candidate:1 1 UDP 2130706431 127.0.0.1 40000 typ host\r\n"))
        #expect(text.contains("\r\na=fingerprint:sha-256 00:01:02:03:"))
        #expect(text.hasSuffix("a=ptime:20\r\n"))
        let audio = try #require(parsed.media.first)
        #expect(audio.candidates.first?.priority == 2_130_706_431)
        #expect(parsed.bundleGroup?.mids == ["0"])
        #expect(parsed.isICELite)
    }

    @Test func settersReplaceInPlaceAndKeepOtherLines() throws {
        var answer = try SessionDescription.parse(SDPFixtures.chromeOffer)
        answer.media[0].setupRole = .active
        answer.media[0].explicitDirection = .recvonly
        answer.media[0].iceOptions = []
        answer.origin.incrementSessionVersion()
        let expected = SDPFixtures.chromeOffer
            .replacing("a=setup:actpass", with: "a=setup:active")
            .replacing("a=sendrecv", with: "a=recvonly")
            .replacing("a=ice-options:trickle\r\n", with: "")
            .replacing(" 2 IN IP4 127.0.0.1", with: " 3 IN IP4 127.0.0.1")
        #expect(answer.serialized() == expected)
    }

    @Test func retainFormatsDropsTheirAttributes() throws {
        var offer = try SessionDescription.parse(SDPFixtures.chromeOffer)
        offer.media[0].retainFormats { ["opus", "PCMU", "telephone-event"].contains($0.rtpMap?.encodingName ?? "") }
        let audio = offer.media[0]
        #expect(audio.formats == ["111", "0", "110", "126"])
        #expect(audio.rtpMaps.map(\.payloadType) == [111, 0, 110, 126])
        #expect(audio.formatParameters.map(\.format) == ["111"])
        #expect(audio.attributes(named: "rtcp-fb").count == 1)
        #expect(try SessionDescription.parse(offer.serialized()) == offer)
    }

    @Test func missingTimingIsWrittenBack() throws {
        let head = "v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\n"
        let description = try SessionDescription.parse(head + "m=audio 5004 RTP/AVP 0\r\n")
        #expect(description.timings.isEmpty)
        #expect(description.serialized() == head + "t=0 0\r\nm=audio 5004 RTP/AVP 0\r\n")
    }

    @Test func genericTypedAccess() throws {
        var media = MediaDescription(type: .audio, port: 5004, proto: "RTP/AVP", formats: ["0"])
        media.addAttribute(SDPAttribute(name: "x-first"))
        media.setAttribute(SetupRole.passive)
        media.addAttribute(SDPAttribute(name: "x-last", value: "1"))
        media.setAttribute(SetupRole.active)
        #expect(media.attributes.map(\.description) == ["x-first", "setup:active", "x-last:1"])
        #expect(media.typedAttribute(SetupRole.self) == .active)
        media.setAttribute(SetupRole?.none)
        #expect(media.attributes.map(\.name) == ["x-first", "x-last"])
        media.setAttributeValue("7", named: "x-last")
        #expect(media.attributeValue(named: "x-last") == "7")
        media.removeAttributes(named: "x-first")
        #expect(media.attributes == [SDPAttribute(name: "x-last", value: "7")])
    }
}
