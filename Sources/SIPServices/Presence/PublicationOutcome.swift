import SIPCore

/// What the event state compositor answers to a PUBLISH (RFC 3903 section 6).
public enum PublicationOutcome: Hashable, Sendable {
    /// 200 with SIP-ETag and Expires (section 6 steps 7 and 8).
    case published(entityTag: String, expires: Int)
    /// 200: the publication was removed (Expires: 0).
    case removed
    /// 412, 423 (with Min-Expires), 400.
    case rejected(SIPStatus, reason: String, minExpires: Int?)
}
