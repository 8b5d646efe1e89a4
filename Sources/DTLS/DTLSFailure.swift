/// Why a DTLS association failed. Carries no secrets, so it may be logged.
public enum DTLSFailure: Error, Sendable, Equatable {
    /// The peer's certificate does not hash to the fingerprint from its SDP (RFC 8122 section 5, RFC 5763
    /// section 5), or the peer sent no certificate.
    case fingerprintMismatch
    /// The handshake completed without a `use_srtp` profile both sides support (RFC 5764 section 4.1.3).
    case noSRTPProfile
    /// The DTLS library gave up: a fatal alert, a malformed flight, an unsupported parameter. The text is the
    /// library's short reason, without key material.
    case handshakeFailed(String)
    /// The retransmission timer ran out (RFC 6347 section 4.2.4: the peer stopped answering).
    case timedOut
    /// The peer sent close_notify before the handshake finished.
    case closedByPeer
}
