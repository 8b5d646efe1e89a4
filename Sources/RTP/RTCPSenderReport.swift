/// An RTCP sender report, packet type 200 (RFC 3550 section 6.4.1).
///
/// ```
/// |V=2|P|    RC   |   PT=SR=200   |             length            |
/// |                         SSRC of sender                        |
/// |              NTP timestamp, most significant word             |
/// |             NTP timestamp, least significant word             |
/// |                         RTP timestamp                         |
/// |                     sender's packet count                     |
/// |                      sender's octet count                     |
/// |                 report blocks (RC x 24 octets)                |
/// ```
public struct RTCPSenderReport: Hashable, Sendable {
    /// PT=SR.
    public static let packetType: UInt8 = 200

    /// The sender's SSRC.
    public var ssrc: UInt32
    /// Wallclock time of the report, NTP format: seconds since 1900 in the high 32 bits, fraction in the low.
    public var ntpTimestamp: UInt64
    /// The same instant as `ntpTimestamp`, in the stream's RTP clock.
    public var rtpTimestamp: UInt32
    /// RTP data packets sent since the start (wraps).
    public var packetCount: UInt32
    /// RTP payload octets sent since the start, headers and padding excluded (wraps).
    public var octetCount: UInt32
    /// At most 31 blocks fit one packet (the RC field has 5 bits).
    public var reports: [RTCPReportBlock]

    public init(
        ssrc: UInt32,
        ntpTimestamp: UInt64,
        rtpTimestamp: UInt32,
        packetCount: UInt32,
        octetCount: UInt32,
        reports: [RTCPReportBlock] = []
    ) {
        self.ssrc = ssrc
        self.ntpTimestamp = ntpTimestamp
        self.rtpTimestamp = rtpTimestamp
        self.packetCount = packetCount
        self.octetCount = octetCount
        self.reports = reports
    }

    /// This report's timestamp as a receiver quotes it in LSR: the middle 32 bits (section 6.4.1).
    public var compactNTPTimestamp: UInt32 { Self.compactNTP(ntpTimestamp) }

    /// The middle 32 bits of a 64-bit NTP timestamp (16.16 fixed-point seconds), the form of the LSR field
    /// and of the DLSR arithmetic (section 6.4.1).
    public static func compactNTP(_ ntpTimestamp: UInt64) -> UInt32 {
        UInt32(truncatingIfNeeded: ntpTimestamp >> 16)
    }
}
