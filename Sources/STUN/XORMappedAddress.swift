import NIOCore

/// The XOR-MAPPED-ADDRESS value (RFC 8489 section 14.2):
/// ```
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |0 0 0 0 0 0 0 0|    Family     |         X-Port                |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                X-Address (Variable)
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ```
/// X-Port is the port XOR the top 16 bits of the magic cookie. X-Address is the address XOR the magic cookie
/// (IPv4) or XOR the magic cookie followed by the transaction ID (IPv6): either way, XOR header bytes 4 on.
enum XORMappedAddress {
    static let familyIPv4: UInt8 = 0x01
    static let familyIPv6: UInt8 = 0x02
    static let portMask = UInt16(truncatingIfNeeded: STUNHeader.magicCookie >> 16)

    /// The address in the value of `length` bytes at `offset` of `message` (whose header is at 0); nil for an
    /// unknown family or a length that does not match it.
    static func decode(_ message: UnsafeRawBufferPointer, valueAt offset: Int, length: Int) -> SocketAddress? {
        guard length >= 4 else { return nil }
        let addressSize: Int
        switch message[offset + 1] {
        case familyIPv4: addressSize = 4
        case familyIPv6: addressSize = 16
        default: return nil
        }
        guard length == 4 + addressSize else { return nil }
        let port = UInt16(bigEndian: message.loadUnaligned(fromByteOffset: offset + 2, as: UInt16.self)) ^ portMask
        var address = [UInt8](repeating: 0, count: addressSize)
        for index in 0..<addressSize {
            address[index] = message[offset + 4 + index] ^ message[4 + index]
        }
        return try? SocketAddress(packedIPAddress: ByteBuffer(bytes: address), port: Int(port))
    }
}
