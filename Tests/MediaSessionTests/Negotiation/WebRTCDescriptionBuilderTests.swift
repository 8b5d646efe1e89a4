import MediaSession
import SDP
import Testing

@Suite("WebRTC description builder")
struct WebRTCDescriptionBuilderTests {
    typealias Fixtures = NegotiationFixtures

    static func parseWeb(_ text: String) throws -> WebRTCMediaParameters {
        try WebRTCMediaParameters(parsing: SessionDescription.parse(text))
    }

    @Test func offerWireFormat() throws {
        let offer = WebRTCDescriptionBuilder.offer(local: Fixtures.localWeb)
        let expected = Fixtures.crlf(
            """
            v=0
            o=- 4611731400430051336 1 IN IP4 192.0.2.10
            s=-
            t=0 0
            a=ice-lite
            a=group:BUNDLE 0
            a=msid-semantic: WMS *
            m=audio 40000 UDP/TLS/RTP/SAVPF 111 0 8 110 101
            c=IN IP4 192.0.2.10
            a=rtcp:40000 IN IP4 192.0.2.10
            a=candidate:1 1 udp 2130706431 192.0.2.10 40000 typ host
            a=end-of-candidates
            a=ice-ufrag:PaRl
            a=ice-pwd:0123456789abcdefABCDEF+/
            a=fingerprint:sha-256 \(Fixtures.localFingerprint)
            a=setup:actpass
            a=mid:0
            a=sendrecv
            a=msid:parley parley-audio
            a=rtcp-mux
            a=rtpmap:111 opus/48000/2
            a=fmtp:111 minptime=10;useinbandfec=1
            a=rtpmap:0 PCMU/8000
            a=rtpmap:8 PCMA/8000
            a=rtpmap:110 telephone-event/48000
            a=fmtp:110 0-16
            a=rtpmap:101 telephone-event/8000
            a=fmtp:101 0-16
            a=ssrc:305419896 cname:parley-1
            """)
        #expect(offer.serialized() == expected)
    }

    @Test func offerParsesBack() throws {
        let offer = WebRTCDescriptionBuilder.offer(local: Fixtures.localWeb)
        let text = offer.serialized()
        #expect(try SessionDescription.parse(text) == offer)
        let parsed = try Self.parseWeb(text)
        #expect(parsed.isICELite)
        #expect(parsed.iceUfrag == "PaRl")
        #expect(parsed.icePwd == "0123456789abcdefABCDEF+/")
        #expect(parsed.fingerprint.hashFunction == "sha-256")
        #expect(parsed.fingerprint.hex == Fixtures.localFingerprint)
        #expect(parsed.setupRole == .actpass)
        #expect(parsed.mid == "0")
        #expect(parsed.isBundled)
        #expect(parsed.rtcpMux)
        #expect(parsed.direction == .sendrecv)
        #expect(parsed.codecs == NegotiatedCodec.defaultWebOffer)
        #expect(parsed.candidates.count == 1)
        #expect(parsed.candidates.first?.priority == 2_130_706_431)
        #expect(parsed.candidates.first?.type == .host)
        #expect(parsed.endOfCandidates)
        #expect(parsed.remoteAddress == "192.0.2.10")
        #expect(parsed.remotePort == 40_000)
        #expect(parsed.ssrc == 0x1234_5678)
    }

    @Test func ipv6OfferAndOtherMid() throws {
        var local = Fixtures.localWeb
        local.address = "2001:db8::10"
        let offer = WebRTCDescriptionBuilder.offer(
            local: local, codecs: [.opus, .telephoneEvent48000], direction: .sendonly, mid: "audio")
        let text = offer.serialized()
        #expect(text.contains("\r\no=- 4611731400430051336 1 IN IP6 2001:db8::10\r\n"))
        #expect(text.contains("\r\nc=IN IP6 2001:db8::10\r\n"))
        #expect(text.contains("\r\na=candidate:1 1 udp 2130706431 2001:db8::10 40000 typ host\r\n"))
        #expect(text.contains("\r\na=group:BUNDLE audio\r\n"))
        let parsed = try Self.parseWeb(text)
        #expect(parsed.mid == "audio")
        #expect(parsed.direction == .sendonly)
        #expect(parsed.codecs == [.opus, .telephoneEvent48000])
    }

    @Test func recvonlyOfferAnnouncesNoSource() throws {
        let text = WebRTCDescriptionBuilder.offer(local: Fixtures.localWeb, direction: .recvonly).serialized()
        #expect(text.contains("\r\na=recvonly\r\n"))
        #expect(!text.contains("a=msid:"))
        #expect(!text.contains("a=ssrc:"))
    }

    @Test func answerToChrome() throws {
        let chrome = try Self.parseWeb(Fixtures.chromeOffer)
        let choice = try #require(
            CodecPlan.choose(web: chrome.codecs, device: Fixtures.baresipCodecs, policy: .transcodeToOpus))
        let answer = WebRTCDescriptionBuilder.answer(
            to: chrome, local: Fixtures.localWeb, codec: choice.webCodec, telephoneEvent: choice.webTelephoneEvent)
        let text = answer.serialized()
        #expect(try SessionDescription.parse(text) == answer)
        #expect(text.contains("\r\na=ice-lite\r\na=group:BUNDLE 0\r\n"))
        #expect(text.contains("\r\nm=audio 40000 UDP/TLS/RTP/SAVPF 111 110\r\n"))
        #expect(text.contains("\r\na=setup:passive\r\n"))
        #expect(!text.contains("actpass"))
        #expect(text.contains("\r\na=fmtp:111 minptime=10;useinbandfec=1\r\n"))

        let parsed = try Self.parseWeb(text)
        #expect(parsed.mid == "0")
        #expect(parsed.setupRole == .passive)
        #expect(parsed.direction == .sendrecv)
        #expect(parsed.rtcpMux)
        #expect(parsed.codecs.map(\.payloadType) == [111, 110])
        #expect(parsed.codecs.map(\.kind) == [.opus, .telephoneEvent])
        #expect(parsed.iceUfrag == "PaRl")
        #expect(parsed.ssrc == 0x1234_5678)
    }

    /// RFC 3264 section 6.1: the answer numbers codecs as the offer did, whatever numbering the caller used.
    @Test func answerUsesTheOffersPayloadTypes() throws {
        let aiortc = try Self.parseWeb(Fixtures.aiortcOffer)
        let answer = WebRTCDescriptionBuilder.answer(
            to: aiortc, local: Fixtures.localWeb, codec: .opus, telephoneEvent: nil)
        let audio = try #require(answer.media.first)
        #expect(audio.formats == ["96"])
        #expect(audio.rtpMaps == [RTPMap(payloadType: 96, encodingName: "opus", clockRate: 48_000, channels: 2)])
        #expect(audio.formatParameters(forPayloadType: 96)?.parameters == "minptime=10;useinbandfec=1")

        let chrome = try Self.parseWeb(Fixtures.chromeOffer)
        let pcmu = WebRTCDescriptionBuilder.answer(
            to: chrome, local: Fixtures.localWeb, codec: .pcmu, telephoneEvent: .telephoneEvent8000)
        #expect(pcmu.media.first?.formats == ["0", "126"])
        #expect(pcmu.media.first?.rtpMap(forPayloadType: 126)?.clockRate == 8_000)
        // The caller's event parameters are kept.
        #expect(pcmu.media.first?.formatParameters(forPayloadType: 126)?.parameters == "0-16")
    }

    @Test func answerDirectionFollowsTheOffer() throws {
        let expected: [(offered: MediaDirection, answered: MediaDirection)] = [
            (.sendrecv, .sendrecv), (.sendonly, .recvonly), (.recvonly, .sendonly), (.inactive, .inactive),
        ]
        for (offered, answered) in expected {
            let offer = try Self.parseWeb(Fixtures.chromeOffer.replacing("a=sendrecv", with: "a=\(offered.rawValue)"))
            let answer = WebRTCDescriptionBuilder.answer(
                to: offer, local: Fixtures.localWeb, codec: .opus, telephoneEvent: nil)
            let media = try #require(answer.media.first)
            #expect(answer.direction(of: media) == answered, "offer \(offered)")
            // JSEP section 5.2.1: a source is announced only when Parley sends.
            #expect((media.msid != nil) == answered.sends, "offer \(offered)")
            #expect(media.ssrcs.isEmpty == !answered.sends, "offer \(offered)")
        }
        // Parley's own hold narrows a sendrecv offer.
        let chrome = try Self.parseWeb(Fixtures.chromeOffer)
        let held = WebRTCDescriptionBuilder.answer(
            to: chrome, local: Fixtures.localWeb, codec: .opus, telephoneEvent: nil, direction: .sendonly)
        #expect(held.media.first?.explicitDirection == .sendonly)
    }

    @Test func answerSetupRole() throws {
        let chrome = try Self.parseWeb(Fixtures.chromeOffer)
        let active = WebRTCDescriptionBuilder.answer(
            to: chrome, local: Fixtures.localWeb, codec: .opus, telephoneEvent: nil, setup: .active)
        #expect(active.media.first?.setupRole == .active)
        let text = WebRTCDescriptionBuilder.answer(
            to: chrome, local: Fixtures.localWeb, codec: .opus, telephoneEvent: nil, setup: "passive")
        #expect(text.media.first?.setupRole == .passive)
        // RFC 8842 section 5.3: never actpass in an answer.
        let actpass = WebRTCDescriptionBuilder.answer(
            to: chrome, local: Fixtures.localWeb, codec: .opus, telephoneEvent: nil, setup: .actpass)
        #expect(actpass.media.first?.setupRole == .passive)
        // A passive offerer makes Parley the DTLS client.
        let passiveOffer = try Self.parseWeb(Fixtures.chromeOffer.replacing("a=setup:actpass", with: "a=setup:passive"))
        let answer = WebRTCDescriptionBuilder.answer(
            to: passiveOffer, local: Fixtures.localWeb, codec: .opus, telephoneEvent: nil)
        #expect(answer.media.first?.setupRole == .active)
    }

    /// RFC 3264 section 6: the video section is rejected in place with its mid; RFC 9143: the BUNDLE group keeps
    /// only the accepted audio.
    @Test func answerRejectsOtherSectionsInPlace() throws {
        let offer = try Self.parseWeb(Fixtures.chromeMaxBundleVideoFirstOffer)
        let answer = WebRTCDescriptionBuilder.answer(
            to: offer, local: Fixtures.localWeb, codec: .opus, telephoneEvent: nil)
        let text = answer.serialized()
        #expect(try SessionDescription.parse(text) == answer)
        #expect(answer.media.count == 2)
        let video = answer.media[0]
        #expect(video.type == .video)
        #expect(video.port == 0)
        #expect(video.proto == "UDP/TLS/RTP/SAVPF")
        #expect(video.formats == ["96", "97"])
        #expect(video.mid == "0")
        #expect(video.rtpMaps.isEmpty)
        let audio = answer.media[1]
        #expect(audio.port == 40_000)
        #expect(audio.mid == "1")
        #expect(audio.formats == ["111"])
        #expect(answer.bundleGroup?.mids == ["1"])
        #expect(text.contains("\r\nm=video 0 UDP/TLS/RTP/SAVPF 96 97\r\nc=IN IP4 0.0.0.0\r\na=mid:0\r\nm=audio 40000 "))
        let parsed = try Self.parseWeb(text)
        #expect(parsed.audioSectionIndex == 1)
        #expect(parsed.mid == "1")
    }

    @Test func answerWithoutBundleOrMux() throws {
        let text = Fixtures.aiortcOffer
            .replacing("a=group:BUNDLE 0\r\n", with: "")
            .replacing("a=rtcp-mux\r\n", with: "")
        let offer = try Self.parseWeb(text)
        #expect(!offer.isBundled)
        #expect(!offer.rtcpMux)
        let answer = WebRTCDescriptionBuilder.answer(
            to: offer, local: Fixtures.localWeb, codec: .opus, telephoneEvent: nil)
        #expect(answer.groups.isEmpty)
        #expect(answer.media.first?.rtcpMux == false)
        #expect(answer.media.first?.mid == "0")
    }
}
