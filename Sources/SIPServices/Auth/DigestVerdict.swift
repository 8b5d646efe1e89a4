/// What a digest check decided.
public enum DigestVerdict: Hashable, Sendable {
    case authenticated(PrivateIdentity)
    /// The credentials were right but the nonce is too old (or forgotten): rechallenge with stale=true so
    /// the client retries without asking its user (RFC 7616 section 3.3).
    case stale
    /// Rechallenge without stale; the caller counts it as a failed attempt.
    case rejected(Reason)

    public enum Reason: Hashable, Sendable, CustomStringConvertible {
        /// Unknown user or wrong password: deliberately one reason, so nothing tells them apart.
        case badCredentials
        case realmMismatch
        /// The digest `uri` does not name the Request-URI (RFC 3261 section 22.4, RFC 2617 section 3.2.2.5).
        case uriMismatch
        case unsupportedAlgorithm
        case unsupportedQop
        /// nc missing or not hex, or opaque not echoed.
        case malformed
        /// Not a nonce this server made.
        case invalidNonce
        /// nc not above one already used with this nonce (RFC 7616 section 3.4).
        case replayed

        public var description: String {
            switch self {
            case .badCredentials: return "bad credentials"
            case .realmMismatch: return "realm mismatch"
            case .uriMismatch: return "uri does not match the Request-URI"
            case .unsupportedAlgorithm: return "unsupported algorithm"
            case .unsupportedQop: return "unsupported qop"
            case .malformed: return "malformed credentials"
            case .invalidNonce: return "invalid nonce"
            case .replayed: return "replayed nonce count"
            }
        }
    }

    public var isAuthenticated: Bool {
        if case .authenticated = self { return true }
        return false
    }
}
