import DTLS

/// Why a session's media stopped for good.
public enum MediaFailure: Error, Sendable, Equatable {
    /// The DTLS handshake failed, the peer's certificate did not match its SDP fingerprint among them
    /// (RFC 8842 section 5: the call fails).
    case dtls(DTLSFailure)
    /// The browser stopped answering consent checks (RFC 7675 section 5.1: stop sending).
    case consentExpired
}
