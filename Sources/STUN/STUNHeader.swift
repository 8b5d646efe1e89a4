/// The fixed 20-byte STUN header (RFC 8489 section 5):
/// ```
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |0 0|     STUN Message Type     |         Message Length        |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                         Magic Cookie                          |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                     Transaction ID (96 bits)                  |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ```
public enum STUNHeader {
    /// Header size in bytes; the message length field counts the bytes after it.
    public static let size = 20
    /// 0x2112A442, fixed since RFC 5389.
    public static let magicCookie: UInt32 = 0x2112_A442
    /// FINGERPRINT is the CRC-32 XOR-ed with this, "STUN" in ASCII (RFC 8489 section 14.7).
    public static let fingerprintXOR: UInt32 = 0x5354_554E

    /// A cheap first look for demultiplexing (RFC 7983: a first byte of 0-3 is STUN; RFC 8489 section 5: the
    /// magic cookie). Full validation is `STUNMessageView.init?(_:)`.
    public static func isPlausible(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard bytes.count >= size, bytes[0] & 0xC0 == 0 else { return false }
        return UInt32(bigEndian: bytes.loadUnaligned(fromByteOffset: 4, as: UInt32.self)) == magicCookie
    }
}
