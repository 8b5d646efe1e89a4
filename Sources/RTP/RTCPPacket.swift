/// One packet of a compound RTCP packet (RFC 3550 section 6.1).
public enum RTCPPacket: Hashable, Sendable {
    case senderReport(RTCPSenderReport)
    case receiverReport(RTCPReceiverReport)
    /// Any other type (SDES 202, BYE 203, APP 204, RTPFB 205, PSFB 206...), not decoded.
    /// `length` is the packet's full length in octets, its 4-octet header and any padding included.
    case other(packetType: UInt8, length: Int)

    /// PT=SDES (section 6.5).
    public static let sdesPacketType: UInt8 = 202
    /// PT=BYE (section 6.6).
    public static let byePacketType: UInt8 = 203
    /// PT=APP (section 6.7).
    public static let appPacketType: UInt8 = 204
}
