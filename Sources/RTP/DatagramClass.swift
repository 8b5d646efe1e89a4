/// What a datagram on a media port is, from its first octets: RFC 7983 section 7 (which updates RFC 5764
/// section 5.1.2) for STUN, DTLS and RTP/RTCP sharing one port, and RFC 5761 section 4 for RTP and RTCP
/// sharing it (rtcp-mux).
public enum DatagramClass: Hashable, Sendable {
    case stun
    case dtls
    case rtp
    case rtcp
    /// ZRTP, TURN channels, QUIC, anything else, or too short for its kind.
    case unknown

    /// Sorts a datagram by its first octet (RFC 7983 section 7):
    /// ```
    /// [0..3]     -> STUN
    /// [20..63]   -> DTLS
    /// [128..191] -> RTP/RTCP
    /// ```
    /// RTP and RTCP are told apart by the second octet (RFC 5761 section 4): 192...223 is an RTCP packet type
    /// (what would be RTP payload types 64-95 with the marker set, which rtcp-mux rules out); anything else is RTP.
    /// A datagram shorter than its kind's fixed header (STUN 20, DTLS record 13, RTCP 8, RTP 12) is unknown.
    public static func classify(_ bytes: UnsafeRawBufferPointer) -> DatagramClass {
        guard let first = bytes.first else { return .unknown }
        switch first {
        case 0...3:
            return bytes.count >= 20 ? .stun : .unknown
        case 20...63:
            return bytes.count >= 13 ? .dtls : .unknown
        case 128...191:
            guard bytes.count >= 8 else { return .unknown }
            if (192...223).contains(bytes[1]) {
                return .rtcp
            }
            return bytes.count >= 12 ? .rtp : .unknown
        default:
            return .unknown
        }
    }
}
