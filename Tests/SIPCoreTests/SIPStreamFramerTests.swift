import Foundation
import NIOCore
import SIPCore
import Testing

@Suite("Stream framing")
struct SIPStreamFramerTests {
    /// Collects frames until the framer needs more bytes (bounded).
    func drain(_ framer: inout SIPStreamFramer) throws -> [SIPFrame] {
        var frames: [SIPFrame] = []
        for _ in 0..<64 {
            guard let frame = try framer.next() else { break }
            frames.append(frame)
        }
        return frames
    }

    @Test(arguments: [1, 2, 7, 64, 1000])
    func messagesSplitAnywhereAreReassembled(chunk: Int) throws {
        let stream = Array((SIPTestMessages.message + "\r\n\r\n" + SIPTestMessages.register + SIPTestMessages.message).utf8)
        var framer = SIPStreamFramer()
        var frames: [SIPFrame] = []
        var offset = 0
        while offset < stream.count {
            let end = min(offset + chunk, stream.count)
            framer.append(ByteBuffer(bytes: stream[offset..<end]))
            frames += try drain(&framer)
            offset = end
        }
        let kinds = frames.map { frame -> String in
            switch frame {
            case .message(.request(let request)): return request.method.rawValue
            case .keepAlivePing: return "ping"
            default: return "\(frame)"
            }
        }
        #expect(kinds == ["MESSAGE", "ping", "REGISTER", "MESSAGE"])
        #expect(framer.bufferedBytes == 0)
        if case .message(let message) = frames[0] {
            #expect(String(buffer: message.body) == "Watson, come here.")
        }
    }

    @Test func pongIsRecognised() throws {
        var framer = SIPStreamFramer()
        framer.append(ByteBuffer(string: "\r\n"))
        #expect(try framer.next() == nil)
        framer.append(ByteBuffer(string: SIPTestMessages.register))
        #expect(try drain(&framer).count == 2)
    }

    @Test func oversizedHeaderSectionLosesTheFraming() {
        var framer = SIPStreamFramer(limits: SIPLimits(maxHeaderSectionBytes: 256))
        framer.append(ByteBuffer(string: "INVITE sip:a@b SIP/2.0\r\nX: " + String(repeating: "a", count: 400)))
        #expect(throws: SIPParseError.self) { try framer.next() }
    }

    @Test func badContentLengthLosesTheFraming() {
        var framer = SIPStreamFramer()
        framer.append(ByteBuffer(string: "INVITE sip:a@b SIP/2.0\r\nContent-Length: -5\r\n\r\n"))
        #expect(throws: SIPParseError.self) { try framer.next() }
    }

    @Test func semanticErrorKeepsTheStreamUsable() throws {
        var framer = SIPStreamFramer()
        let bad = SIPTestMessages.register.replacingOccurrences(of: "To: Alice <sip:alice@localhost>", with: "To: <sip:alice@localhost")
        framer.append(ByteBuffer(string: bad + SIPTestMessages.register))
        let frames = try drain(&framer)
        #expect(frames.count == 2)
        guard case .rejected(let error, _) = frames[0], case .message = frames[1] else {
            Issue.record("unexpected frames \(frames)")
            return
        }
        #expect(error.status == .badRequest)
    }
}
