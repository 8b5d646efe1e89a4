/// The class of a STUN message. RFC 8489 section 5 interleaves its two bits (C1, C0) with the 12 method bits
/// in the 14-bit message type:
/// ```
///  0                 1
///  2  3  4 5 6 7 8 9 0 1 2 3 4 5
/// +--+--+-+-+-+-+-+-+-+-+-+-+-+-+
/// |M |M |M|M|M|C|M|M|M|C|M|M|M|M|
/// |11|10|9|8|7|1|6|5|4|0|3|2|1|0|
/// +--+--+-+-+-+-+-+-+-+-+-+-+-+-+
/// ```
public enum STUNClass: UInt8, Sendable, Hashable, CaseIterable {
    /// 0b00.
    case request = 0b00
    /// 0b01.
    case indication = 0b01
    /// 0b10.
    case successResponse = 0b10
    /// 0b11.
    case errorResponse = 0b11

    /// The class encoded in a message type (bit 4 is C0, bit 8 is C1).
    public init(messageType: UInt16) {
        switch ((messageType >> 4) & 0x1) | ((messageType >> 7) & 0x2) {
        case 0b00: self = .request
        case 0b01: self = .indication
        case 0b10: self = .successResponse
        default: self = .errorResponse
        }
    }

    /// The message type for `method` in this class: Binding request 0x0001, success response 0x0101, error
    /// response 0x0111, indication 0x0011. Method bits above the twelfth are ignored.
    public func messageType(method: UInt16) -> UInt16 {
        let method = method & 0x0FFF
        let bits = UInt16(rawValue)
        return (method & 0x000F) | ((method & 0x0070) << 1) | ((method & 0x0F80) << 2) | ((bits & 0x1) << 4)
            | ((bits & 0x2) << 7)
    }

    /// The 12-bit method of a message type, with the class bits taken out.
    public static func method(ofMessageType type: UInt16) -> UInt16 {
        (type & 0x000F) | ((type & 0x00E0) >> 1) | ((type & 0x3E00) >> 2)
    }
}
