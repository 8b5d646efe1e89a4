/// CRC-32 as FINGERPRINT uses it (RFC 8489 section 14.7 refers to ITU-T V.42 / ISO 3309): reflected polynomial
/// 0xEDB88320, initial value and final XOR 0xFFFFFFFF. Check value: CRC-32("123456789") = 0xCBF43926.
enum CRC32 {
    /// One entry per byte value, built once.
    static let table: [UInt32] = {
        var table = [UInt32](repeating: 0, count: 256)
        for index in 0..<256 {
            var value = UInt32(index)
            for _ in 0..<8 {
                value = value & 1 == 1 ? (value >> 1) ^ 0xEDB8_8320 : value >> 1
            }
            table[index] = value
        }
        return table
    }()

    static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        table.withUnsafeBufferPointer { entries in
            for byte in bytes {
                crc = entries[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8)
            }
        }
        return crc ^ 0xFFFF_FFFF
    }
}
