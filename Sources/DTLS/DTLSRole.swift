/// Which side of the DTLS handshake an endpoint plays: the client sends the ClientHello, the server waits for it.
///
/// The role comes from the SDP `a=setup` exchange (RFC 4145 section 4, RFC 5763 section 5, RFC 8842 section 5):
/// `active` is the DTLS client, `passive` the DTLS server; an offer says `actpass` and the answerer picks.
public enum DTLSRole: Sendable, Hashable {
    case client
    case server

    /// The role an answerer takes, and the `a=setup` value it writes, for the offer's `a=setup` value.
    ///
    /// RFC 5763 section 5 and RFC 8842 section 5.3: the answerer to `actpass` MUST choose `active` (it becomes
    /// the client, which saves a round trip); to `active` it answers `passive` (server); to `passive` it answers
    /// `active` (client). `holdconn` and unknown values give nil. Values compare case-insensitively (RFC 5234
    /// section 2.3) and surrounding spaces are ignored.
    public static func forAnswerer(remoteSetup: String) -> (role: DTLSRole, localSetup: String)? {
        switch normalized(remoteSetup) {
        case "actpass", "passive":
            return (role: .client, localSetup: "active")
        case "active":
            return (role: .server, localSetup: "passive")
        default:
            return nil
        }
    }

    /// The role an offerer (which sent `actpass`) takes for the answer's `a=setup` value.
    ///
    /// RFC 8842 section 5.3: the answer is `active` (the answerer is the client, so we are the server) or
    /// `passive` (we are the client). An answer of `actpass` or `holdconn` is invalid and gives nil.
    public static func forOfferer(remoteAnswerSetup: String) -> DTLSRole? {
        switch normalized(remoteAnswerSetup) {
        case "active":
            return .server
        case "passive":
            return .client
        default:
            return nil
        }
    }

    /// The local role for the peer's `a=setup` value: `forOfferer(remoteAnswerSetup:)` when we made the offer,
    /// `forAnswerer(remoteSetup:)` when we answer. Nil when the value leaves no valid role.
    public init?(localSetupFor remoteSetup: String, weAreOfferer: Bool) {
        let role =
            weAreOfferer
            ? Self.forOfferer(remoteAnswerSetup: remoteSetup)
            : Self.forAnswerer(remoteSetup: remoteSetup)?.role
        guard let role else { return nil }
        self = role
    }

    /// ASCII lower case without surrounding spaces or tabs.
    private static func normalized(_ value: String) -> String {
        var bytes = Array(value.utf8)
        while let last = bytes.last, last == 0x20 || last == 0x09 { bytes.removeLast() }
        let start = bytes.firstIndex { $0 != 0x20 && $0 != 0x09 } ?? bytes.endIndex
        return String(decoding: bytes[start...].map { (0x41...0x5A).contains($0) ? $0 | 0x20 : $0 }, as: UTF8.self)
    }
}
