import NIOCore
import SIPCore
import SIPServices

/// SplitMix64: a fixed, reproducible generator for nonces in tests.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64 = 0x5EED) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

struct TestError: Error, CustomStringConvertible {
    var description: String
}

enum Fixtures {
    /// 2027-01-15T08:00:00Z, a fixed wall-clock instant.
    static let now = UnixTime(seconds: 1_800_000_000)

    static let alice = AOR(user: "alice", domain: "localhost")
    static let bob = AOR(user: "bob", domain: "localhost")

    static let aliceWeb = PrivateIdentity.make(
        authUsername: "alice", aor: alice, kind: .webAccount, password: "secret", realm: "localhost")
    static let alicePhone = PrivateIdentity.make(
        authUsername: "alice-phone", aor: alice, kind: .device, password: "phone-pass", realm: "localhost")
    static let bobWeb = PrivateIdentity.make(
        authUsername: "bob", aor: bob, kind: .webAccount, password: "hunter2", realm: "localhost")

    static func udp(_ flow: UInt64 = 1, port: UInt16 = 5070) -> SIPSource {
        SIPSource(transport: .udp, remote: SIPPeerAddress(host: "127.0.0.1", port: port), flow: FlowID(flow))
    }

    static func wss(_ flow: UInt64, port: UInt16 = 50_000) -> SIPSource {
        SIPSource(transport: .wss, remote: SIPPeerAddress(host: "192.0.2.10", port: port), flow: FlowID(flow))
    }

    static func tcp(_ flow: UInt64, port: UInt16 = 40_000) -> SIPSource {
        SIPSource(transport: .tcp, remote: SIPPeerAddress(host: "127.0.0.1", port: port), flow: FlowID(flow))
    }

    /// Parses SIP text (CRLF line ends) as the transport would hand it up.
    static func request(_ text: String) throws -> SIPRequest {
        switch SIPDatagramDecoder().decode(ByteBuffer(string: text)) {
        case .message(.request(let request)): return request
        case .rejected(let error, _): throw error
        default: throw TestError(description: "not a request")
        }
    }

    /// A REGISTER from alice with the given Contact lines.
    static func register(
        contacts: [String], expires: Int? = nil, callID: String = "reg-call-1@127.0.0.1", cseq: UInt32 = 1,
        user: String = "alice", vias: Int = 1, extraHeaders: [String] = []
    ) throws -> SIPRequest {
        var lines = ["REGISTER sip:localhost SIP/2.0"]
        for index in 0..<vias {
            lines.append("Via: SIP/2.0/UDP 127.0.0.\(index + 1):5070;branch=z9hG4bK-\(cseq)-\(index);rport")
        }
        lines += [
            "Max-Forwards: 70",
            "To: <sip:\(user)@localhost>",
            "From: <sip:\(user)@localhost>;tag=1928301774",
            "Call-ID: \(callID)",
            "CSeq: \(cseq) REGISTER",
        ]
        lines += contacts.map { "Contact: \($0)" }
        if let expires { lines.append("Expires: \(expires)") }
        lines += extraHeaders
        lines += ["Content-Length: 0", "", ""]
        return try request(lines.joined(separator: "\r\n"))
    }
}
