import NIOCore

extension SocketAddress {
    /// The IP address in network byte order: 4 bytes for IPv4, 16 for IPv6; nil for a Unix-domain socket.
    /// Read from the `sockaddr` bytes: the address sits at offset 4 of `sockaddr_in` and at offset 8 of
    /// `sockaddr_in6` both on Linux (16-bit family) and on the BSDs (8-bit length, 8-bit family).
    var packedIPAddressBytes: [UInt8]? {
        let range: Range<Int>
        switch self {
        case .v4: range = 4..<8
        case .v6: range = 8..<24
        case .unixDomainSocket: return nil
        }
        return withSockAddr { (pointer, length) -> [UInt8]? in
            guard length >= range.upperBound else { return nil }
            let raw = UnsafeRawBufferPointer(start: UnsafeRawPointer(pointer), count: length)
            return Array(raw[range])
        }
    }
}
