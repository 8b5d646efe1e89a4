import STUN

enum STUNTestSupport {
    /// The view of `bytes`, or nil if they are not a valid message.
    static func view(_ bytes: [UInt8]) -> STUNMessageView? {
        bytes.withUnsafeBytes { STUNMessageView($0) }
    }

    /// A message header with `length` in the length field, followed by `body`.
    static func message(type: UInt16 = 0x0001, length: Int? = nil, body: [UInt8]) -> [UInt8] {
        let length = length ?? body.count
        var bytes: [UInt8] = [
            UInt8(truncatingIfNeeded: type >> 8), UInt8(truncatingIfNeeded: type),
            UInt8(truncatingIfNeeded: length >> 8), UInt8(truncatingIfNeeded: length),
            0x21, 0x12, 0xa4, 0x42,
        ]
        bytes += [UInt8](repeating: 0x5A, count: 12)
        bytes += body
        return bytes
    }
}

/// SplitMix64: a fixed, reproducible generator for tests.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64 = 0x5EED) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
