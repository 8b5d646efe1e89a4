/// What a `DTLSEndpoint` reports from `receive` or `handleTimeout`. Each is reported once.
public enum DTLSEvent: Sendable {
    /// The handshake finished, the peer's certificate matched its fingerprint, and SRTP keys were exported.
    case connected(DTLSSRTPKeyingMaterial)
    /// The association failed (before or after connecting); the endpoint is dead. Send what `takeOutgoing`
    /// still holds: it may carry an alert or a close_notify for the peer.
    case failed(DTLSFailure)
    /// The peer closed a connected association with close_notify (RFC 5246 section 7.2.1).
    case closed
}
