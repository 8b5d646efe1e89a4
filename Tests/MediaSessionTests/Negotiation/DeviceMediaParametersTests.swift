import MediaSession
import SDP
import Testing

@Suite("Device media parameters")
struct DeviceMediaParametersTests {
    typealias Fixtures = NegotiationFixtures

    static func parse(_ text: String) throws -> DeviceMediaParameters {
        try DeviceMediaParameters(parsing: SessionDescription.parse(text))
    }

    @Test func baresipOffer() throws {
        let baresip = try Self.parse(Fixtures.baresipOffer)
        #expect(baresip.address == "127.0.0.1")
        #expect(!baresip.isIPv6)
        #expect(baresip.port == 10_002)
        #expect(baresip.rtcpPort == 10_003)
        #expect(!baresip.rtcpMux)
        #expect(baresip.proto == "RTP/AVP")
        #expect(baresip.codecs == Fixtures.baresipCodecs)
        #expect(baresip.hasAudio)
        #expect(baresip.ptime == 20)
        #expect(baresip.direction == .sendrecv)
        #expect(!baresip.isHoldByZeroAddress)
        #expect(!baresip.isHold)
        #expect(baresip.ssrc == 2_072_431_489)
        #expect(baresip.audioSectionIndex == 0)
        #expect(baresip.sections.count == 1)
    }

    @Test func linphoneOfferWithStaticTypesAndVideo() throws {
        let linphone = try Self.parse(Fixtures.linphoneOffer)
        // PCMU and PCMA have no rtpmap: RFC 3551 static types. speex and G.729 are dropped.
        #expect(linphone.codecs == Fixtures.linphoneCodecs)
        #expect(linphone.port == 7_078)
        #expect(linphone.rtcpPort == 7_079)
        #expect(linphone.ptime == nil)
        #expect(linphone.sections.map(\.type) == [.audio, .video])
        #expect(linphone.sections[1] == MediaSectionOutline(type: .video, proto: "RTP/AVP", formats: ["96"]))
        #expect(linphone.audioSectionIndex == 0)
    }

    @Test func staticPayloadTypesWithoutAnyRTPMap() throws {
        let text = Fixtures.crlf(
            """
            v=0
            o=- 1 1 IN IP4 192.0.2.5
            s=-
            t=0 0
            m=audio 5004 RTP/AVP 8 0
            c=IN IP4 192.0.2.5
            """)
        let device = try Self.parse(text)
        #expect(device.codecs.map(\.kind) == [.pcma, .pcmu])
        #expect(device.codecs.map(\.payloadType) == [8, 0])
        #expect(device.codecs.allSatisfy { $0.clockRate == 8_000 && $0.channels == 1 })
        #expect(device.address == "192.0.2.5")
    }

    @Test func ipv6Connection() throws {
        let text = Fixtures.baresipOffer
            .replacing("c=IN IP4 127.0.0.1", with: "c=IN IP6 2001:db8::10")
        let device = try Self.parse(text)
        #expect(device.address == "2001:db8::10")
        #expect(device.isIPv6)
    }

    @Test func mediaLevelConnectionWins() throws {
        let text = Fixtures.baresipOffer
            .replacing(
                "m=audio 10002 RTP/AVP 0 8 101\r\n", with: "m=audio 10002 RTP/AVP 0 8 101\r\nc=IN IP4 192.0.2.77\r\n")
        #expect(try Self.parse(text).address == "192.0.2.77")
    }

    @Test func holdByDirection() throws {
        let sendonly = try Self.parse(Fixtures.baresipOffer.replacing("a=sendrecv", with: "a=sendonly"))
        #expect(sendonly.direction == .sendonly)
        #expect(sendonly.isHold)
        #expect(!sendonly.isHoldByZeroAddress)
        let inactive = try Self.parse(Fixtures.baresipOffer.replacing("a=sendrecv", with: "a=inactive"))
        #expect(inactive.direction == .inactive)
        #expect(inactive.isHold)
        let recvonly = try Self.parse(Fixtures.baresipOffer.replacing("a=sendrecv", with: "a=recvonly"))
        #expect(!recvonly.isHold)
    }

    @Test func holdByZeroAddress() throws {
        let held = try Self.parse(Fixtures.zeroAddressHoldOffer)
        #expect(held.isHoldByZeroAddress)
        #expect(held.address == "0.0.0.0")
        #expect(held.direction == .sendrecv)
        // RFC 3264 section 8.4: nothing can be sent to 0.0.0.0.
        #expect(held.effectiveDirection == .sendonly)
        #expect(held.isHold)
        #expect(held.codecs.map(\.kind) == [.pcmu, .telephoneEvent])
        let recvonly = Fixtures.zeroAddressHoldOffer.replacing("a=rtpmap:0", with: "a=recvonly\r\na=rtpmap:0")
        let heldInactive = try Self.parse(recvonly)
        #expect(heldInactive.effectiveDirection == .inactive)
    }

    // MARK: Rejections

    /// The error parsing `text` throws, or nil when it is accepted.
    static func rejection(_ text: String) throws -> NegotiationError? {
        let description = try SessionDescription.parse(text)
        do throws(NegotiationError) {
            _ = try DeviceMediaParameters(parsing: description)
            return nil
        } catch {
            return error
        }
    }

    @Test func rejectsWebRTCAudio() throws {
        let error = try #require(try Self.rejection(Fixtures.chromeOffer))
        guard case .unsupportedProfile = error else {
            Issue.record("expected unsupportedProfile, got \(error)")
            return
        }
        #expect(error.reason.contains("RTP/AVP"))
    }

    @Test func rejectsSDESOnlyAudio() throws {
        let text = Fixtures.baresipOffer
            .replacing("RTP/AVP", with: "RTP/SAVP")
            .replacing(
                "a=sendrecv\r\n",
                with: "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz\r\n"
                    + "a=sendrecv\r\n")
        let error = try #require(try Self.rejection(text))
        guard case .unsupportedProfile = error else {
            Issue.record("expected unsupportedProfile, got \(error)")
            return
        }
        let description = try SessionDescription.parse(text)
        #expect(!DeviceMediaParameters.hasUsableAudio(in: description))
        let baresip = try SessionDescription.parse(Fixtures.baresipOffer)
        #expect(DeviceMediaParameters.hasUsableAudio(in: baresip))
    }

    @Test func rejectsPortZero() throws {
        let portZero = Fixtures.baresipOffer.replacing("m=audio 10002", with: "m=audio 0")
        let error = try #require(try Self.rejection(portZero))
        guard case .rejected = error else {
            Issue.record("expected rejected, got \(error)")
            return
        }
        #expect(error.reason.contains("port 0"))
    }

    @Test func rejectsMissingConnection() throws {
        let noConnection = Fixtures.baresipOffer.replacing("c=IN IP4 127.0.0.1\r\n", with: "")
        let error = try #require(try Self.rejection(noConnection))
        guard case .missingConnection = error else {
            Issue.record("expected missingConnection, got \(error)")
            return
        }
        #expect(error.reason.contains("c="))
    }

    @Test func rejectsVideoOnly() throws {
        let text = Fixtures.crlf(
            """
            v=0
            o=- 1 1 IN IP4 192.0.2.5
            s=-
            c=IN IP4 192.0.2.5
            t=0 0
            m=video 5006 RTP/AVP 96
            a=rtpmap:96 VP8/90000
            """)
        let error = try #require(try Self.rejection(text))
        guard case .noAudio = error else {
            Issue.record("expected noAudio, got \(error)")
            return
        }
        #expect(error.description.hasPrefix("unusable SDP: "))
    }
}
