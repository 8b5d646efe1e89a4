/// Why `ICELiteAgent.handle` answered nothing.
public enum ICEDropReason: Hashable, Sendable {
    /// Not a well-formed STUN message (RFC 8489 sections 5 and 14).
    case notSTUN
    /// A STUN method other than Binding: ICE uses Binding only (RFC 8445 section 7).
    case unsupportedMethod
    /// A Binding indication: a keepalive (RFC 8445 section 11), which needs no answer.
    case indication
    /// A response: a lite agent sends no checks (RFC 8445 section 2.5), so it has nothing to match.
    case response
    /// A request without FINGERPRINT, which ICE requires on every check (RFC 8445 section 7).
    case missingFingerprint
    /// A FINGERPRINT that does not match: not STUN, or damaged (RFC 8489 section 14.7).
    case badFingerprint
}
