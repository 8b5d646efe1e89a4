import MediaSession
import SDP
import Testing

@Suite("WebRTC media parameters")
struct WebRTCMediaParametersTests {
    typealias Fixtures = NegotiationFixtures

    static func parse(_ text: String) throws -> WebRTCMediaParameters {
        try WebRTCMediaParameters(parsing: SessionDescription.parse(text))
    }

    @Test func chromeOffer() throws {
        let chrome = try Self.parse(Fixtures.chromeOffer)
        #expect(chrome.iceUfrag == "Wk3z")
        #expect(chrome.icePwd == "1Ng7aTqL0vR4dXc9pYb2sMfE")
        #expect(chrome.iceOptions == ["trickle"])
        #expect(!chrome.isICELite)
        #expect(chrome.fingerprint.hashFunction == "sha-256")
        #expect(chrome.fingerprint.hex == Fixtures.localFingerprint)
        #expect(chrome.setupRole == .actpass)
        #expect(chrome.setup == "actpass")
        #expect(chrome.remoteIsDTLSClient)
        #expect(chrome.answerSetupRole == .passive)
        #expect(chrome.mid == "0")
        #expect(chrome.isBundled)
        #expect(chrome.rtcpMux)
        #expect(chrome.direction == .sendrecv)
        // red, G722 and CN are dropped; the peer's order and numbering are kept.
        #expect(chrome.codecs == Fixtures.chromeCodecs)
        #expect(chrome.hasAudio)
        #expect(chrome.proto == "UDP/TLS/RTP/SAVPF")
        #expect(chrome.candidates.map(\.foundation) == ["1467250027", "2579345071", "435653019"])
        #expect(chrome.candidates[1].type == .serverReflexive)
        #expect(!chrome.endOfCandidates)
        #expect(chrome.remoteAddress == "192.168.1.10")
        #expect(chrome.remotePort == 54_400)
        #expect(chrome.ssrc == 3_735_928_559)
        let outline = MediaSectionOutline(
            type: .audio, proto: "UDP/TLS/RTP/SAVPF", formats: ["111", "63", "9", "0", "8", "13", "110", "126"],
            mid: "0")
        #expect(chrome.sections == [outline])
        #expect(chrome.audioSectionIndex == 0)
    }

    @Test func aiortcOfferPrefersSHA256AmongSeveralFingerprints() throws {
        let aiortc = try Self.parse(Fixtures.aiortcOffer)
        #expect(aiortc.fingerprints.map(\.hashFunction) == ["sha-384", "sha-256", "sha-512"])
        #expect(aiortc.fingerprint.hashFunction == "sha-256")
        #expect(aiortc.fingerprint.bytes.count == 32)
        #expect(aiortc.fingerprint.hex.hasPrefix("3E:23:E8:16"))
        #expect(aiortc.iceUfrag == "Hq3x")
        #expect(aiortc.icePwd == "rT7mVb2LkP9sWq4ZcN8xYe")
        #expect(aiortc.iceOptions.isEmpty)
        #expect(aiortc.setupRole == .actpass)
        #expect(aiortc.codecs == Fixtures.aiortcCodecs)
        #expect(aiortc.candidates.count == 1)
        #expect(aiortc.candidates.first?.priority == 2_130_706_431)
        #expect(aiortc.endOfCandidates)
        #expect(aiortc.rtcpMux)
        #expect(aiortc.remoteAddress == "127.0.0.1")
        #expect(aiortc.remotePort == 47_381)
        #expect(aiortc.ssrc == 1_458_214_471)
        #expect(aiortc.mid == "0")
    }

    @Test func firefoxOfferInheritsSessionLevelFingerprintAndOptions() throws {
        let firefox = try Self.parse(Fixtures.firefoxOffer)
        #expect(firefox.fingerprint.hex.hasPrefix("2B:48:76"))
        #expect(firefox.iceOptions == ["trickle"])
        #expect(firefox.iceUfrag == "fed34101")
        #expect(firefox.codecs == Fixtures.firefoxCodecs)
        #expect(firefox.endOfCandidates)
    }

    @Test func chromeAnswerMakesChromeTheDTLSClient() throws {
        let answer = try Self.parse(Fixtures.chromeAnswer)
        #expect(answer.setupRole == .active)
        #expect(answer.remoteIsDTLSClient)
        #expect(answer.remoteAddress == "0.0.0.0")
        #expect(answer.remotePort == 9)
        #expect(answer.codecs.map(\.payloadType) == [111, 110])
        #expect(answer.candidates.isEmpty)
    }

    @Test func passivePeerMakesParleyTheDTLSClient() throws {
        let passive = try Self.parse(Fixtures.chromeAnswer.replacing("a=setup:active", with: "a=setup:passive"))
        #expect(!passive.remoteIsDTLSClient)
        #expect(passive.answerSetupRole == .active)
    }

    @Test func bundleOnlyAudioUsesTheTaggedTransport() throws {
        let offer = try Self.parse(Fixtures.chromeMaxBundleVideoFirstOffer)
        #expect(offer.audioSectionIndex == 1)
        #expect(offer.mid == "1")
        #expect(offer.isBundled)
        #expect(offer.iceUfrag == "Wk3z")
        #expect(offer.setupRole == .actpass)
        #expect(offer.remotePort == 54_400)
        #expect(offer.candidates.count == 1)
        #expect(offer.codecs.map(\.kind) == [.opus, .pcmu])
        #expect(offer.sections.map(\.type) == [.video, .audio])
    }

    @Test func directionAndHold() throws {
        for direction in MediaDirection.allCases {
            let text = Fixtures.chromeOffer.replacing("a=sendrecv", with: "a=\(direction.rawValue)")
            #expect(try Self.parse(text).direction == direction)
        }
        // RFC 8866 section 6.7: a session-level direction applies when the section has none.
        let sessionLevel = Fixtures.chromeOffer
            .replacing("a=sendrecv\r\n", with: "")
            .replacing("a=extmap-allow-mixed\r\n", with: "a=extmap-allow-mixed\r\na=inactive\r\n")
        #expect(try Self.parse(sessionLevel).direction == .inactive)
    }

    @Test func iceRestartIsAChangedUfragOrPassword() throws {
        let first = try Self.parse(Fixtures.chromeOffer)
        let reoffer = try Self.parse(Fixtures.chromeOffer.replacing(" 2 IN IP4", with: " 3 IN IP4"))
        #expect(!reoffer.isICERestart(comparedTo: first))
        #expect(reoffer == first)
        let newUfrag = try Self.parse(Fixtures.chromeOffer.replacing("a=ice-ufrag:Wk3z", with: "a=ice-ufrag:Tq9r"))
        #expect(newUfrag.isICERestart(comparedTo: first))
        let newPwd = try Self.parse(
            Fixtures.chromeOffer.replacing(
                "a=ice-pwd:1Ng7aTqL0vR4dXc9pYb2sMfE", with: "a=ice-pwd:zzzzaTqL0vR4dXc9pYb2sMfE"))
        #expect(newPwd.isICERestart(comparedTo: first))
    }

    @Test func credentialsAtSessionLevelAreInherited() throws {
        let moved = Fixtures.chromeOffer
            .replacing("a=ice-ufrag:Wk3z\r\n", with: "")
            .replacing("a=ice-pwd:1Ng7aTqL0vR4dXc9pYb2sMfE\r\n", with: "")
            .replacing(
                "a=group:BUNDLE 0\r\n",
                with: "a=group:BUNDLE 0\r\na=ice-ufrag:Wk3z\r\na=ice-pwd:1Ng7aTqL0vR4dXc9pYb2sMfE\r\n")
        let parsed = try Self.parse(moved)
        #expect(parsed.iceUfrag == "Wk3z")
        #expect(parsed.icePwd == "1Ng7aTqL0vR4dXc9pYb2sMfE")
    }

    // MARK: Rejections

    /// The error parsing `text` throws, or nil when it is accepted.
    static func rejection(_ text: String) throws -> NegotiationError? {
        let description = try SessionDescription.parse(text)
        do throws(NegotiationError) {
            _ = try WebRTCMediaParameters(parsing: description)
            return nil
        } catch {
            return error
        }
    }

    @Test func rejectsADescriptionWithoutAudio() throws {
        let text = Fixtures.crlf(
            """
            v=0
            o=- 1 1 IN IP4 127.0.0.1
            s=-
            t=0 0
            m=application 9 UDP/DTLS/SCTP webrtc-datachannel
            c=IN IP4 0.0.0.0
            a=ice-ufrag:Wk3z
            a=ice-pwd:1Ng7aTqL0vR4dXc9pYb2sMfE
            a=setup:actpass
            a=mid:0
            a=sctp-port:5000
            """)
        let error = try #require(try Self.rejection(text))
        guard case .noAudio = error else {
            Issue.record("expected noAudio, got \(error)")
            return
        }
        #expect(error.reason.contains("m=audio"))
        #expect(error.statusCode == 488)
        let description = try SessionDescription.parse(text)
        #expect(!WebRTCMediaParameters.hasUsableAudio(in: description))
    }

    @Test func rejectsPlainRTPAudio() throws {
        let error = try #require(try Self.rejection(Fixtures.baresipOffer))
        guard case .unsupportedProfile = error else {
            Issue.record("expected unsupportedProfile, got \(error)")
            return
        }
        #expect(error.reason.contains("DTLS"))
        let chrome = try SessionDescription.parse(Fixtures.chromeOffer)
        #expect(WebRTCMediaParameters.hasUsableAudio(in: chrome))
    }

    @Test func rejectsARejectedAudioSection() throws {
        let portZero = Fixtures.chromeOffer.replacing("m=audio 54400", with: "m=audio 0")
        let error = try #require(try Self.rejection(portZero))
        guard case .rejected = error else {
            Issue.record("expected rejected, got \(error)")
            return
        }
        #expect(error.reason.contains("port 0"))
    }

    @Test func rejectsMissingICECredentials() throws {
        for line in ["a=ice-ufrag:Wk3z\r\n", "a=ice-pwd:1Ng7aTqL0vR4dXc9pYb2sMfE\r\n"] {
            let error = try #require(try Self.rejection(Fixtures.chromeOffer.replacing(line, with: "")))
            guard case .missingICECredentials = error else {
                Issue.record("expected ICE error, got \(error)")
                return
            }
            #expect(error.reason.contains("ice-ufrag"))
            // The password itself never reaches the reason.
            #expect(!error.description.contains("1Ng7aTqL0vR4dXc9pYb2sMfE"))
        }
    }

    @Test func rejectsMissingOrUnusableFingerprint() throws {
        let fingerprintLine =
            "a=fingerprint:sha-256 CA:97:81:12:CA:1B:BD:CA:FA:C2:31:B3:9A:23:DC:4D:A7:86:EF:F8:14:7C:4E:72:B9:80:77:85:AF:EE:48:BB\r\n"
        let missing = try #require(try Self.rejection(Fixtures.chromeOffer.replacing(fingerprintLine, with: "")))
        guard case .missingFingerprint = missing else {
            Issue.record("expected fingerprint error, got \(missing)")
            return
        }
        #expect(missing.reason.contains("a=fingerprint"))
        // RFC 8122 section 5: MD5 is not acceptable.
        let md5 = try #require(
            try Self.rejection(
                Fixtures.chromeOffer.replacing(
                    fingerprintLine, with: "a=fingerprint:md5 0C:C1:75:B9:C0:F1:B6:A8:31:C3:99:E2:69:77:26:61\r\n")))
        guard case .missingFingerprint = md5 else {
            Issue.record("expected fingerprint error, got \(md5)")
            return
        }
        #expect(md5.reason.contains("sha-256"))
    }
}
