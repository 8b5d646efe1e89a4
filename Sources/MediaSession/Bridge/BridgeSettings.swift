import AudioCodecs

/// What every session of a media bridge shares.
public struct BridgeSettings: Sendable {
    public var opus: OpusEncoderSettings
    /// Jitter buffer bounds in 20 ms frames.
    public var jitterMinimumFrames: Int
    public var jitterMaximumFrames: Int
    /// RTCP report interval (RFC 3550 section 6.2 allows a fixed 5 s minimum for a two-party session).
    public var rtcpIntervalMilliseconds: Int
    /// The CNAME in Parley's RTCP (RFC 7022: random per session is fine).
    public var cname: String

    public init(
        opus: OpusEncoderSettings = OpusEncoderSettings(), jitterMinimumFrames: Int = 1, jitterMaximumFrames: Int = 6,
        rtcpIntervalMilliseconds: Int = 5000, cname: String = "parley"
    ) {
        self.opus = opus
        self.jitterMinimumFrames = jitterMinimumFrames
        self.jitterMaximumFrames = jitterMaximumFrames
        self.rtcpIntervalMilliseconds = rtcpIntervalMilliseconds
        self.cname = cname
    }
}
