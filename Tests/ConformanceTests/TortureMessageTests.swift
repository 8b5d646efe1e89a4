import Crypto
import Foundation
import NIOCore
import SIPCore
import Testing

/// RFC 4475 and RFC 5118 torture messages, each decoded as a datagram (UDP or WebSocket message) with the
/// outcome the manifest demands (DESIGN.md convention 7).
@Suite("SIP torture messages")
struct TortureMessageTests {
    /// Where the status Parley answers differs from the default 400 that a rejection carries.
    static let expectedStatus: [String: Int] = [
        "rfc4475/badvers.dat": 505,  // RFC 4475 section 3.1.2.16
        "rfc4475/mismatch02.dat": 501,  // unknown method: 501 preferred (section 3.1.2.18)
    ]

    /// Deviations from the manifest, each with its reason. Empty: every outcome matches.
    static let knownDeviations: [String: String] = [:]

    @Test func manifestHasAllSixtyOneMessages() {
        #expect(TortureManifest.cases.count == 61)
    }

    @Test(arguments: TortureManifest.cases)
    func fixtureIsTheReferenceCopy(_ torture: TortureCase) {
        let bytes = torture.bytes
        #expect(bytes.count == torture.expectedBytes)
        let digest = SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
        #expect(digest == torture.sha256)
    }

    @Test(arguments: TortureManifest.cases)
    func datagramOutcomeMatchesManifest(_ torture: TortureCase) throws {
        let frame = SIPDatagramDecoder().decode(ByteBuffer(bytes: torture.bytes))
        if let reason = Self.knownDeviations[torture.file] {
            withKnownIssue(Comment(rawValue: reason)) { try Self.check(frame, torture) }
            return
        }
        try Self.check(frame, torture)
    }

    static func check(_ frame: SIPFrame, _ torture: TortureCase) throws {
        switch torture.parserMust {
        case .accept:
            guard case .message = frame else {
                Issue.record("expected accept, got \(frame)")
                return
            }
        case .reject:
            guard case .rejected(let error, _) = frame else {
                Issue.record("expected reject, got \(frame)")
                return
            }
            if !torture.isResponse {
                #expect(error.status.code == (expectedStatus[torture.file] ?? 400), "\(error)")
            }
        case .rejectOrTolerate:
            switch frame {
            case .message: break
            case .rejected(let error, _): #expect(error.status.code == 400, "\(error)")
            default: Issue.record("unexpected \(frame)")
            }
        case .acceptThenError:
            guard case .message(let message) = frame else {
                Issue.record("expected accept, got \(frame)")
                return
            }
            #expect(throws: SIPParseError.self) { try SIPMessageValidator.requireMandatoryHeaders(message.headers) }
        }
    }

    /// An accepted message serializes to bytes that decode again to the same serialization (the fuzzer's
    /// invariant, checked on every torture message).
    @Test(arguments: TortureManifest.cases)
    func acceptedMessagesSerializeStably(_ torture: TortureCase) {
        guard case .message(let message) = SIPDatagramDecoder().decode(ByteBuffer(bytes: torture.bytes)) else { return }
        let serialized = message.serialized
        guard case .message(let again) = SIPDatagramDecoder().decode(serialized) else {
            Issue.record("serialized form rejected")
            return
        }
        #expect(again.serialized == serialized)
        #expect(again.headers.count == message.headers.count + (message.headers.contains(.contentLength) ? 0 : 1))
    }

    /// Every message, fed to a stream framer in small pieces and followed by a valid OPTIONS: the framer
    /// either frames it or reports lost framing, never traps, and stops within a bounded number of steps.
    @Test(arguments: TortureManifest.cases)
    func streamFramerSurvives(_ torture: TortureCase) throws {
        var framer = SIPStreamFramer()
        var input = torture.bytes + Array(Self.options.utf8)
        var frames: [SIPFrame] = []
        var framingLost = false
        feeding: while !input.isEmpty {
            let piece = Array(input.prefix(97))
            input.removeFirst(piece.count)
            framer.append(ByteBuffer(bytes: piece))
            for _ in 0..<16 {
                do {
                    guard let frame = try framer.next() else { break }
                    frames.append(frame)
                } catch {
                    framingLost = true
                    break feeding
                }
            }
        }
        // clerr.dat announces 9999 body bytes: the framer waits for them (and the OPTIONS becomes body).
        #expect(framingLost || !frames.isEmpty || torture.file == "rfc4475/clerr.dat")
        if torture.parserMust == .accept, !framingLost, let first = frames.first {
            if case .rejected(let error, _) = first { Issue.record("stream rejected an accepted message: \(error)") }
        }
    }

    static let options =
        "OPTIONS sip:parley@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.1:5070;branch=z9hG4bK-alive\r\n"
        + "Max-Forwards: 70\r\nFrom: <sip:probe@127.0.0.1>;tag=1\r\nTo: <sip:parley@127.0.0.1>\r\n"
        + "Call-ID: alive@127.0.0.1\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n"
}
