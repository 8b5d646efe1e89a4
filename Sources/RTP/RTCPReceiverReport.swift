/// An RTCP receiver report, packet type 201 (RFC 3550 section 6.4.2): the SR without the sender information.
///
/// ```
/// |V=2|P|    RC   |   PT=RR=201   |             length            |
/// |                     SSRC of packet sender                     |
/// |                 report blocks (RC x 24 octets)                |
/// ```
public struct RTCPReceiverReport: Hashable, Sendable {
    /// PT=RR.
    public static let packetType: UInt8 = 201

    /// The reporter's SSRC.
    public var ssrc: UInt32
    /// At most 31 blocks fit one packet (the RC field has 5 bits).
    public var reports: [RTCPReportBlock]

    public init(ssrc: UInt32, reports: [RTCPReportBlock] = []) {
        self.ssrc = ssrc
        self.reports = reports
    }
}
