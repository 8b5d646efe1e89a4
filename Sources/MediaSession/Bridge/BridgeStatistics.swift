/// Counters of one session, per leg where it matters. Dropped packets are counted by reason, so that a
/// test (and an operator) can tell an attack from a broken peer.
public struct BridgeStatistics: Sendable, Equatable {
    public var webPacketsReceived = 0
    public var devicePacketsReceived = 0
    public var webPacketsSent = 0
    public var devicePacketsSent = 0
    /// SRTP/SRTCP that failed authentication (RFC 3711 section 3.3 step 5).
    public var srtpAuthenticationFailures = 0
    /// SRTP/SRTCP seen before or older than the replay window (RFC 3711 section 3.3.2).
    public var srtpReplays = 0
    /// Media or DTLS from an address that has not passed an ICE check (RFC 8445 section 7.3).
    public var unvalidatedSourceDrops = 0
    /// RTP from an address other than the device's.
    public var unexpectedSourceDrops = 0
    public var malformedDrops = 0
    public var concealedFrames = 0
    public var telephoneEventsRelayed = 0

    public init() {}
}
