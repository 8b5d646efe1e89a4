import ICELite
import NIOCore
import STUN

/// Builds checks the way a full agent does (RFC 8445 section 7.2.2) and reads the lite agent's answers.
enum ICETestSupport {
    /// Ours (the lite agent's) and the browser's.
    static let local = ICECredentials(ufrag: "LiTe", password: "litePasswordOf24Chars+/x")
    static let remote = ICECredentials(ufrag: "FuLL", password: "fullAgentPassword22chr")
    static let transactionID = STUNTransactionID(high: 0x0102_0304, middle: 0x0506_0708, low: 0x090A_0B0C)

    static let peer = try! SocketAddress(ipAddress: "192.0.2.10", port: 50_000)
    static let otherPeer = try! SocketAddress(ipAddress: "198.51.100.20", port: 50_002)
    static let peer6 = try! SocketAddress(ipAddress: "2001:db8::77", port: 61_000)

    enum Integrity {
        case missing
        case sha1
        case sha256
    }

    /// A Binding request as a controlling full agent sends it: USERNAME, PRIORITY, ICE-CONTROLLING,
    /// USE-CANDIDATE if nominating, MESSAGE-INTEGRITY with our password, FINGERPRINT.
    static func check(
        username: String? = "LiTe:FuLL",
        password: String = ICETestSupport.local.password,
        transactionID: STUNTransactionID = ICETestSupport.transactionID,
        messageClass: STUNClass = .request,
        method: UInt16 = STUNMethod.binding,
        useCandidate: Bool = false,
        controlling: UInt64? = 0x1122_3344_5566_7788,
        controlled: UInt64? = nil,
        unknownAttribute: UInt16? = nil,
        integrity: Integrity = .sha1,
        fingerprint: Bool = true
    ) -> [UInt8] {
        var builder = STUNMessageBuilder(method: method, messageClass: messageClass, transactionID: transactionID)
        if let username { builder.append(username: username) }
        builder.appendPriority(0x6E7F_1EFF)
        if let controlling { builder.appendICEControlling(controlling) }
        if let controlled { builder.appendICEControlled(controlled) }
        if useCandidate { builder.appendUseCandidate() }
        if let unknownAttribute { builder.appendAttribute(type: unknownAttribute, value: [0, 0, 0, 1]) }
        switch integrity {
        case .missing: break
        case .sha1: builder.appendMessageIntegrity(key: Array(password.utf8))
        case .sha256: builder.appendMessageIntegritySHA256(key: Array(password.utf8))
        }
        if fingerprint { builder.appendFingerprint() }
        return builder.finish()
    }

    static func handle(
        _ agent: inout ICELiteAgent, _ bytes: [UInt8], from source: SocketAddress = ICETestSupport.peer,
        at now: NIODeadline
    ) -> ICEOutcome {
        bytes.withUnsafeBytes { raw in agent.handle(raw, from: source, now: now) }
    }

    /// Virtual time: `seconds` after an origin of zero.
    static func at(seconds: Int64) -> NIODeadline {
        NIODeadline.uptimeNanoseconds(0) + .seconds(seconds)
    }

    static func at(milliseconds: Int64) -> NIODeadline {
        NIODeadline.uptimeNanoseconds(0) + .milliseconds(milliseconds)
    }

    /// The parsed answer of an outcome that responds.
    static func response(_ outcome: ICEOutcome) -> Response? {
        guard case .respond(let bytes) = outcome,
            let view = bytes.withUnsafeBytes({ raw in STUNMessageView(raw) })
        else { return nil }
        return Response(bytes: bytes, view: view)
    }

    struct Response {
        var bytes: [UInt8]
        var view: STUNMessageView

        func isSigned(with password: String) -> Bool {
            bytes.withUnsafeBytes { raw in view.verifyMessageIntegrity(raw, key: Array(password.utf8)) }
        }

        func isSignedSHA256(with password: String) -> Bool {
            bytes.withUnsafeBytes { raw in view.verifyMessageIntegritySHA256(raw, key: Array(password.utf8)) }
        }

        var hasValidFingerprint: Bool {
            bytes.withUnsafeBytes { raw in view.verifyFingerprint(raw) }
        }
    }
}

/// SplitMix64: a fixed, reproducible generator for tests.
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
