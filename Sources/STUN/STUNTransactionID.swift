/// The 96-bit transaction ID of a STUN message (RFC 8489 section 5), kept as three big-endian words so it
/// hashes and compares without an allocation. RFC 8489 section 6: it must be uniformly random.
public struct STUNTransactionID: Hashable, Sendable, CustomStringConvertible {
    /// Bytes 0-3 of the ID, most significant first.
    public var high: UInt32
    /// Bytes 4-7.
    public var middle: UInt32
    /// Bytes 8-11.
    public var low: UInt32

    public init(high: UInt32, middle: UInt32, low: UInt32) {
        self.high = high
        self.middle = middle
        self.low = low
    }

    /// From exactly 12 bytes in wire order; nil for any other count.
    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count == 12 else { return nil }
        var words: [UInt32] = [0, 0, 0]
        for (index, byte) in bytes.enumerated() {
            words[index / 4] = words[index / 4] << 8 | UInt32(byte)
        }
        self.init(high: words[0], middle: words[1], low: words[2])
    }

    /// Reads the 12 bytes at `offset`; the caller has checked that they are there.
    init(reading bytes: UnsafeRawBufferPointer, at offset: Int) {
        high = UInt32(bigEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
        middle = UInt32(bigEndian: bytes.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self))
        low = UInt32(bigEndian: bytes.loadUnaligned(fromByteOffset: offset + 8, as: UInt32.self))
    }

    /// A fresh ID from `generator` (use a cryptographically secure one outside tests).
    public static func random<G: RandomNumberGenerator>(using generator: inout G) -> STUNTransactionID {
        let first: UInt64 = generator.next()
        let second: UInt64 = generator.next()
        return STUNTransactionID(
            high: UInt32(truncatingIfNeeded: first >> 32), middle: UInt32(truncatingIfNeeded: first),
            low: UInt32(truncatingIfNeeded: second))
    }

    /// The 12 bytes in wire order.
    public var bytes: [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(12)
        append(to: &result)
        return result
    }

    /// Lower-case hex of the 12 bytes.
    public var description: String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(24)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    func append(to output: inout [UInt8]) {
        Self.append(high, to: &output)
        Self.append(middle, to: &output)
        Self.append(low, to: &output)
    }

    private static func append(_ word: UInt32, to output: inout [UInt8]) {
        output.append(UInt8(truncatingIfNeeded: word >> 24))
        output.append(UInt8(truncatingIfNeeded: word >> 16))
        output.append(UInt8(truncatingIfNeeded: word >> 8))
        output.append(UInt8(truncatingIfNeeded: word))
    }
}
