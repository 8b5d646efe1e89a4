import NIOCore
import SIPCore

/// Small well-formed messages the unit tests start from.
enum SIPTestMessages {
    static let register = [
        "REGISTER sip:localhost SIP/2.0",
        "Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK776asdhds;rport",
        "Max-Forwards: 70",
        "To: Alice <sip:alice@localhost>",
        "From: Alice <sip:alice@localhost>;tag=1928301774",
        "Call-ID: a84b4c76e66710@127.0.0.1",
        "CSeq: 314159 REGISTER",
        "Contact: <sip:alice@127.0.0.1:5070>;expires=3600;+sip.instance=\"<urn:uuid:00000000-0000-1000-8000-000A95A0E128>\";reg-id=1",
        "Expires: 3600",
        "Content-Length: 0",
        "", "",
    ].joined(separator: "\r\n")

    static let message = [
        "MESSAGE sip:bob@localhost SIP/2.0",
        "Via: SIP/2.0/WSS df7jal23ls0d.invalid;branch=z9hG4bK2mvd8rs",
        "Max-Forwards: 70",
        "To: <sip:bob@localhost>",
        "From: \"Alice\" <sip:alice@localhost>;tag=49583",
        "Call-ID: asd88asd77a@df7jal23ls0d.invalid",
        "CSeq: 1 MESSAGE",
        "Content-Type: text/plain",
        "Content-Length: 18",
        "",
        "Watson, come here.",
    ].joined(separator: "\r\n")

    static func buffer(_ text: String) -> ByteBuffer { ByteBuffer(string: text) }

    static func decode(_ text: String) throws -> SIPMessage {
        switch SIPDatagramDecoder().decode(ByteBuffer(string: text)) {
        case .message(let message): return message
        case .rejected(let error, _): throw error
        default: throw SIPParseError(.malformedStartLine, detail: "not a message")
        }
    }
}
