import NIOCore
import SIPCore
import SIPTransactions

typealias LayerEvent = TransactionEvent<String>

/// An event with the virtual time (since the origin) it came out at.
struct TimedEvent: Hashable, CustomStringConvertible {
    var at: TimeAmount
    var event: LayerEvent

    var description: String { "\(at): \(event)" }
}

/// Milliseconds as time amounts, for expected schedules.
func milliseconds(_ values: Int64...) -> [TimeAmount] {
    values.map { TimeAmount.milliseconds($0) }
}

extension TransactionLayer where Destination == String {
    /// Drives the layer the way the runtime does: the clock jumps to `nextDeadline`, due timers fire, and so
    /// on until `end`. Returns every event with the time it happened.
    mutating func run(clock: inout VirtualClock, until end: NIODeadline) -> [TimedEvent] {
        var log: [TimedEvent] = []
        while let next = nextDeadline, next <= end {
            clock.advance(to: next)
            for event in advance(to: next) {
                log.append(TimedEvent(at: clock.elapsed, event: event))
            }
        }
        clock.advance(to: end)
        return log
    }
}

extension TransactionEvent {
    /// The message of a `.send`.
    var sentMessage: SIPMessage? {
        if case .send(let message, _) = self { return message }
        return nil
    }

    /// The server transaction of a `.request`.
    var newServerTransaction: ServerTransactionID? {
        if case .request(_, let id, _) = self { return id }
        return nil
    }
}

struct TestMessageError: Error, CustomStringConvertible {
    var description: String
}

/// Builds messages by parsing text, the way they arrive from the wire.
enum TestMessages {
    static let defaultVia = "SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-alice-1"

    static func parse(_ lines: [String]) throws -> SIPMessage {
        let text = (lines + ["", ""]).joined(separator: "\r\n")
        switch SIPDatagramDecoder().decode(ByteBuffer(string: text)) {
        case .message(let message):
            return message
        case .rejected(let error, _):
            throw error
        case .keepAlivePing, .keepAlivePong:
            throw TestMessageError(description: "not a message")
        }
    }

    static func request(
        _ method: String = "INVITE", uri: String = "sip:bob@example.com",
        vias: [String] = [TestMessages.defaultVia], from: String = "<sip:alice@example.com>;tag=a1",
        to: String = "<sip:bob@example.com>", callID: String = "call-1@192.0.2.1", cseq: UInt32 = 1,
        extra: [String] = []
    ) throws -> SIPRequest {
        var lines = ["\(method) \(uri) SIP/2.0"]
        lines += vias.map { "Via: \($0)" }
        lines += ["Max-Forwards: 70", "From: \(from)", "To: \(to)", "Call-ID: \(callID)", "CSeq: \(cseq) \(method)"]
        lines += extra
        lines.append("Content-Length: 0")
        guard let request = try parse(lines).request else {
            throw TestMessageError(description: "not a request")
        }
        return request
    }

    /// A response to `request` as its server would build it (RFC 3261 section 8.2.6.2).
    static func response(_ code: Int, to request: SIPRequest, toTag: String? = "b1") -> SIPResponse {
        SIPResponse(replyingTo: request, status: SIPStatus(code), toTag: toTag.map { Tag($0) })
    }

    /// `request` with its top Via replaced (a new branch for each transaction of a load test).
    static func with(via: String, _ request: SIPRequest) -> SIPRequest {
        var copy = request
        copy.headers.set(.via, via)
        return copy
    }
}
