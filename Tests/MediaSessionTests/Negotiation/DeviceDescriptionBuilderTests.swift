import MediaSession
import SDP
import Testing

@Suite("Device description builder")
struct DeviceDescriptionBuilderTests {
    typealias Fixtures = NegotiationFixtures

    static func parseDevice(_ text: String) throws -> DeviceMediaParameters {
        try DeviceMediaParameters(parsing: SessionDescription.parse(text))
    }

    @Test func offerWireFormat() throws {
        let offer = DeviceDescriptionBuilder.offer(local: Fixtures.localDevice)
        let expected = Fixtures.crlf(
            """
            v=0
            o=- 1700000001 1 IN IP4 192.0.2.10
            s=-
            c=IN IP4 192.0.2.10
            t=0 0
            m=audio 30000 RTP/AVP 0 8 101
            a=rtpmap:0 PCMU/8000
            a=rtpmap:8 PCMA/8000
            a=rtpmap:101 telephone-event/8000
            a=fmtp:101 0-16
            a=ptime:20
            a=sendrecv
            """)
        #expect(offer.serialized() == expected)
        // No ICE, DTLS or rtcp-mux on the device leg.
        #expect(!expected.contains("rtcp"))
        #expect(!expected.contains("ice"))
    }

    @Test func offerParsesBack() throws {
        let offer = DeviceDescriptionBuilder.offer(local: Fixtures.localDevice, direction: .sendonly, ptime: 30)
        let text = offer.serialized()
        #expect(try SessionDescription.parse(text) == offer)
        let parsed = try Self.parseDevice(text)
        #expect(parsed.address == "192.0.2.10")
        #expect(parsed.port == 30_000)
        #expect(parsed.codecs == NegotiatedCodec.defaultDeviceOffer)
        #expect(parsed.ptime == 30)
        #expect(parsed.direction == .sendonly)
        #expect(parsed.proto == "RTP/AVP")
    }

    @Test func offerWithoutPtimeOnIPv6() throws {
        var local = Fixtures.localDevice
        local.address = "2001:db8::10"
        let offer = DeviceDescriptionBuilder.offer(local: local, codecs: [.pcma], ptime: nil)
        let text = offer.serialized()
        #expect(text.contains("\r\nc=IN IP6 2001:db8::10\r\n"))
        #expect(text.contains("\r\nm=audio 30000 RTP/AVP 8\r\na=rtpmap:8 PCMA/8000\r\na=sendrecv\r\n"))
        let parsed = try Self.parseDevice(text)
        #expect(parsed.isIPv6)
        #expect(parsed.ptime == nil)
    }

    @Test func answerToBaresip() throws {
        let baresip = try Self.parseDevice(Fixtures.baresipOffer)
        let answer = DeviceDescriptionBuilder.answer(
            to: baresip, local: Fixtures.localDevice, codec: .pcmu, telephoneEvent: .telephoneEvent8000)
        let expected = Fixtures.crlf(
            """
            v=0
            o=- 1700000001 1 IN IP4 192.0.2.10
            s=-
            c=IN IP4 192.0.2.10
            t=0 0
            m=audio 30000 RTP/AVP 0 101
            a=rtpmap:0 PCMU/8000
            a=rtpmap:101 telephone-event/8000
            a=fmtp:101 0-16
            a=ptime:20
            a=sendrecv
            """)
        #expect(answer.serialized() == expected)
        let parsed = try Self.parseDevice(expected)
        #expect(parsed.codecs.map(\.kind) == [.pcmu, .telephoneEvent])
    }

    /// RFC 3264 section 6.1: Linphone's numbering (events on 100), its video rejected in place.
    @Test func answerToLinphone() throws {
        let linphone = try Self.parseDevice(Fixtures.linphoneOffer)
        let choice = try #require(
            CodecPlan.choose(web: Fixtures.chromeCodecs, device: linphone.codecs, policy: .transcodeToOpus))
        let answer = DeviceDescriptionBuilder.answer(
            to: linphone, local: Fixtures.localDevice, codec: choice.deviceCodec,
            telephoneEvent: choice.deviceTelephoneEvent)
        let text = answer.serialized()
        #expect(try SessionDescription.parse(text) == answer)
        #expect(text.contains("\r\nm=audio 30000 RTP/AVP 0 100\r\n"))
        #expect(text.contains("\r\na=rtpmap:100 telephone-event/8000\r\n"))
        #expect(text.hasSuffix("\r\nm=video 0 RTP/AVP 96\r\n"))
        #expect(answer.media.map(\.port) == [30_000, 0])
    }

    @Test func answerDirectionFollowsTheOffer() throws {
        let expected: [(offered: MediaDirection, answered: MediaDirection)] = [
            (.sendrecv, .sendrecv), (.sendonly, .recvonly), (.recvonly, .sendonly), (.inactive, .inactive),
        ]
        for (offered, answered) in expected {
            let offer = try Self.parseDevice(
                Fixtures.baresipOffer.replacing("a=sendrecv", with: "a=\(offered.rawValue)"))
            let answer = DeviceDescriptionBuilder.answer(
                to: offer, local: Fixtures.localDevice, codec: .pcmu, telephoneEvent: nil)
            #expect(answer.media.first?.explicitDirection == answered, "offer \(offered)")
        }
    }

    /// RFC 3264 section 8.4: an RFC 2543 hold (c= 0.0.0.0) is answered as if sendonly; Parley keeps its own address.
    @Test func answerToZeroAddressHold() throws {
        let held = try Self.parseDevice(Fixtures.zeroAddressHoldOffer)
        let answer = DeviceDescriptionBuilder.answer(
            to: held, local: Fixtures.localDevice, codec: .pcmu, telephoneEvent: .telephoneEvent8000)
        #expect(answer.media.first?.explicitDirection == .recvonly)
        #expect(answer.connection?.address == "192.0.2.10")
        #expect(answer.media.first?.formats == ["0", "101"])
    }

    @Test func answerRepeatsTheOfferedProfile() throws {
        let avpf = try Self.parseDevice(Fixtures.baresipOffer.replacing("RTP/AVP", with: "RTP/AVPF"))
        let answer = DeviceDescriptionBuilder.answer(
            to: avpf, local: Fixtures.localDevice, codec: .pcma, telephoneEvent: nil)
        #expect(answer.media.first?.proto == "RTP/AVPF")
        #expect(answer.media.first?.formats == ["8"])
    }
}
