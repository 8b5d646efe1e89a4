/// One reception report block of an SR or RR (RFC 3550 section 6.4.1): 24 octets.
///
/// ```
/// |                 SSRC_1 (SSRC of first source)                 |
/// | fraction lost |       cumulative number of packets lost       |
/// |           extended highest sequence number received           |
/// |                      interarrival jitter                      |
/// |                         last SR (LSR)                         |
/// |                   delay since last SR (DLSR)                  |
/// ```
public struct RTCPReportBlock: Hashable, Sendable {
    /// Octets per block on the wire.
    public static let length = 24

    /// The source this block reports on.
    public var ssrc: UInt32
    /// Loss since the previous report, as a fixed-point fraction of 256.
    public var fractionLost: UInt8
    /// Packets lost since the start, a 24-bit signed field on the wire: written values are clamped to
    /// -8388608...8388607.
    public var cumulativeLost: Int32
    /// Sequence-number cycles in the high 16 bits, highest sequence number in the low 16.
    public var extendedHighestSequence: UInt32
    /// Interarrival jitter in RTP timestamp units (appendix A.8).
    public var jitter: UInt32
    /// LSR: the middle 32 bits of the NTP timestamp of the last SR received from the source, or 0.
    public var lastSR: UInt32
    /// DLSR: the delay since that SR in units of 1/65536 second, or 0.
    public var delaySinceLastSR: UInt32

    public init(
        ssrc: UInt32,
        fractionLost: UInt8,
        cumulativeLost: Int32,
        extendedHighestSequence: UInt32,
        jitter: UInt32,
        lastSR: UInt32,
        delaySinceLastSR: UInt32
    ) {
        self.ssrc = ssrc
        self.fractionLost = fractionLost
        self.cumulativeLost = cumulativeLost
        self.extendedHighestSequence = extendedHighestSequence
        self.jitter = jitter
        self.lastSR = lastSR
        self.delaySinceLastSR = delaySinceLastSR
    }
}
