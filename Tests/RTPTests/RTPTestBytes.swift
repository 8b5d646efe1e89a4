import RTP

/// Runs the module's pointer-based API over plain byte arrays.
enum RTPTestBytes {
    static func rtp(_ bytes: [UInt8]) -> RTPPacketView? {
        bytes.withUnsafeBytes { RTPPacketView($0) }
    }

    static func rtcp(_ bytes: [UInt8]) -> [RTCPPacket]? {
        bytes.withUnsafeBytes { RTCPParser.parseCompound($0) }
    }

    static func classify(_ bytes: [UInt8]) -> DatagramClass {
        bytes.withUnsafeBytes { DatagramClass.classify($0) }
    }

    /// Runs a writer over a buffer of `capacity` bytes (pre-filled with 0xEE to expose unwritten bytes) and
    /// returns what it reported writing.
    static func written(capacity: Int, _ write: (UnsafeMutableRawBufferPointer) -> Int) -> [UInt8] {
        var buffer = [UInt8](repeating: 0xEE, count: capacity)
        let count = buffer.withUnsafeMutableBytes { write($0) }
        return Array(buffer.prefix(count))
    }

    /// Concatenation without `+` chains, which are slow to type-check inside large literals.
    static func join(_ parts: [UInt8]...) -> [UInt8] {
        parts.flatMap { $0 }
    }

    static func uint16(_ bytes: [UInt8], at offset: Int) -> UInt16 {
        UInt16(bytes[offset]) << 8 | UInt16(bytes[offset + 1])
    }
}
