import MediaSession
import SDP
import Testing

@Suite("Codec plan")
struct CodecPlanTests {
    typealias Fixtures = NegotiationFixtures

    /// One row of the decision table.
    struct Row: Sendable, CustomTestStringConvertible {
        var name: String
        var web: [NegotiatedCodec]
        var device: [NegotiatedCodec]
        var policy: CodecPolicy
        var expected: CodecPlan.Choice?

        var testDescription: String { "\(name) (\(policy.rawValue))" }
    }

    static let chrome = Fixtures.chromeCodecs
    static let aiortc = Fixtures.aiortcCodecs
    static let firefox = Fixtures.firefoxCodecs
    static let baresip = Fixtures.baresipCodecs
    static let linphone = Fixtures.linphoneCodecs

    static let rows: [Row] = [
        // Transcoding: Opus to the browser, the device's first G.711, events at each leg's own rate.
        Row(
            name: "Chrome and baresip", web: chrome, device: baresip, policy: .transcodeToOpus,
            expected: CodecPlan.Choice(
                webCodec: chrome[0], deviceCodec: baresip[0], webTelephoneEvent: chrome[3],
                deviceTelephoneEvent: baresip[2], isPassThrough: false)),
        Row(
            name: "Chrome and Linphone, which offers Opus first", web: chrome, device: linphone,
            policy: .transcodeToOpus,
            expected: CodecPlan.Choice(
                webCodec: chrome[0], deviceCodec: linphone[1], webTelephoneEvent: chrome[3],
                deviceTelephoneEvent: linphone[5], isPassThrough: false)),
        Row(
            name: "aiortc without events", web: aiortc, device: baresip, policy: .transcodeToOpus,
            expected: CodecPlan.Choice(
                webCodec: aiortc[0], deviceCodec: baresip[0], webTelephoneEvent: nil,
                deviceTelephoneEvent: baresip[2], isPassThrough: false)),
        // Firefox has only 8000 Hz events: the first one is taken beside Opus.
        Row(
            name: "Firefox and baresip", web: firefox, device: baresip, policy: .transcodeToOpus,
            expected: CodecPlan.Choice(
                webCodec: firefox[0], deviceCodec: baresip[0], webTelephoneEvent: firefox[3],
                deviceTelephoneEvent: baresip[2], isPassThrough: false)),
        Row(
            name: "PCMA-first device", web: chrome, device: [baresip[1], baresip[0]], policy: .transcodeToOpus,
            expected: CodecPlan.Choice(
                webCodec: chrome[0], deviceCodec: baresip[1], webTelephoneEvent: chrome[3],
                deviceTelephoneEvent: nil, isPassThrough: false)),
        // A browser without Opus: relay the device's first G.711 it also has.
        Row(
            name: "browser without Opus", web: [chrome[2], chrome[1], chrome[4]], device: baresip,
            policy: .transcodeToOpus,
            expected: CodecPlan.Choice(
                webCodec: chrome[1], deviceCodec: baresip[0], webTelephoneEvent: chrome[4],
                deviceTelephoneEvent: baresip[2], isPassThrough: true)),
        // A device with Opus only: relay Opus.
        Row(
            name: "Opus-only device", web: chrome, device: [linphone[0], linphone[3]], policy: .transcodeToOpus,
            expected: CodecPlan.Choice(
                webCodec: chrome[0], deviceCodec: linphone[0], webTelephoneEvent: chrome[3],
                deviceTelephoneEvent: linphone[3], isPassThrough: true)),
        Row(
            name: "no common ground", web: [chrome[2]], device: [baresip[0]], policy: .transcodeToOpus,
            expected: nil),
        Row(name: "device without codecs", web: chrome, device: [baresip[2]], policy: .transcodeToOpus, expected: nil),
        Row(
            name: "browser with events only", web: [chrome[3]], device: baresip, policy: .transcodeToOpus,
            expected: nil),

        // Pass-through: the device's order decides the shared codec.
        Row(
            name: "Chrome and baresip", web: chrome, device: baresip, policy: .preferPassThrough,
            expected: CodecPlan.Choice(
                webCodec: chrome[1], deviceCodec: baresip[0], webTelephoneEvent: chrome[4],
                deviceTelephoneEvent: baresip[2], isPassThrough: true)),
        Row(
            name: "Chrome and Linphone, which offers Opus first", web: chrome, device: linphone,
            policy: .preferPassThrough,
            expected: CodecPlan.Choice(
                webCodec: chrome[0], deviceCodec: linphone[0], webTelephoneEvent: chrome[3],
                deviceTelephoneEvent: linphone[3], isPassThrough: true)),
        Row(
            name: "PCMA-first device", web: chrome, device: [baresip[1], baresip[0], baresip[2]],
            policy: .preferPassThrough,
            expected: CodecPlan.Choice(
                webCodec: chrome[2], deviceCodec: baresip[1], webTelephoneEvent: chrome[4],
                deviceTelephoneEvent: baresip[2], isPassThrough: true)),
        Row(
            name: "aiortc without events", web: aiortc, device: baresip, policy: .preferPassThrough,
            expected: CodecPlan.Choice(
                webCodec: aiortc[1], deviceCodec: baresip[0], webTelephoneEvent: nil,
                deviceTelephoneEvent: baresip[2], isPassThrough: true)),
        // Nothing shared: transcode.
        Row(
            name: "Opus-only browser", web: [chrome[0], chrome[3]], device: baresip, policy: .preferPassThrough,
            expected: CodecPlan.Choice(
                webCodec: chrome[0], deviceCodec: baresip[0], webTelephoneEvent: chrome[3],
                deviceTelephoneEvent: baresip[2], isPassThrough: false)),
        Row(
            name: "no common ground", web: [chrome[2]], device: [baresip[0]], policy: .preferPassThrough,
            expected: nil),
        Row(name: "empty browser list", web: [], device: baresip, policy: .preferPassThrough, expected: nil),
    ]

    @Test(arguments: rows)
    func decisionTable(_ row: Row) {
        #expect(CodecPlan.choose(web: row.web, device: row.device, policy: row.policy) == row.expected)
    }

    @Test func transcodingAlwaysPairsOpusWithG711() {
        for row in Self.rows {
            guard let choice = CodecPlan.choose(web: row.web, device: row.device, policy: row.policy),
                !choice.isPassThrough
            else { continue }
            #expect(choice.webCodec.kind == .opus, "\(row.testDescription)")
            #expect(choice.deviceCodec.kind.isG711, "\(row.testDescription)")
        }
    }

    @Test func passThroughSharesCodecAndClock() {
        for row in Self.rows {
            guard let choice = CodecPlan.choose(web: row.web, device: row.device, policy: row.policy),
                choice.isPassThrough
            else { continue }
            #expect(choice.webCodec.isSameFormat(as: choice.deviceCodec), "\(row.testDescription)")
        }
    }

    @Test func fromParsedDescriptions() throws {
        let web = try WebRTCMediaParameters(parsing: SessionDescription.parse(Fixtures.chromeOffer))
        let device = try DeviceMediaParameters(parsing: SessionDescription.parse(Fixtures.baresipOffer))
        let choice = try #require(CodecPlan.choose(web: web.codecs, device: device.codecs, policy: .transcodeToOpus))
        #expect(choice.webCodec.payloadType == 111)
        #expect(choice.webTelephoneEvent?.payloadType == 110)
        #expect(choice.deviceCodec.payloadType == 0)
        #expect(choice.deviceTelephoneEvent?.payloadType == 101)
    }

    @Test func policyConfigurationWords() {
        #expect(CodecPolicy(rawValue: "transcode") == .transcodeToOpus)
        #expect(CodecPolicy(rawValue: "pass-through") == .preferPassThrough)
        #expect(CodecPolicy(rawValue: "passthrough") == nil)
    }
}
