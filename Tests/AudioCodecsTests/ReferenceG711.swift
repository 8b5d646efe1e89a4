/// A line-by-line port of the classic Sun g711.c encoders (segment search over `seg_end`), kept deliberately
/// naive so the optimised `G711` can be checked against it for every 16-bit input. The one departure is the
/// one `G711` documents: negative A-law samples are reduced by magnitude (not magnitude - 8).
enum ReferenceG711 {
    static let segmentEnds = [0xFF, 0x1FF, 0x3FF, 0x7FF, 0xFFF, 0x1FFF, 0x3FFF, 0x7FFF]

    static func search(_ value: Int) -> Int {
        for (segment, end) in segmentEnds.enumerated() where value <= end { return segment }
        return segmentEnds.count
    }

    static func linear2ulaw(_ sample: Int16) -> UInt8 {
        var value = Int(sample)
        let mask: Int
        if value < 0 {
            value = 0x84 - value
            mask = 0x7F
        } else {
            value += 0x84
            mask = 0xFF
        }
        let segment = search(value)
        if segment >= 8 { return UInt8(0x7F ^ mask) }
        return UInt8(((segment << 4) | ((value >> (segment + 3)) & 0x0F)) ^ mask)
    }

    static func linear2alaw(_ sample: Int16) -> UInt8 {
        var value = Int(sample)
        let mask: Int
        if value >= 0 {
            mask = 0xD5
        } else {
            mask = 0x55
            value = min(-value, 0x7FFF)
        }
        let segment = search(value)
        var code = segment << 4
        if segment < 2 {
            code |= (value >> 4) & 0x0F
        } else {
            code |= (value >> (segment + 3)) & 0x0F
        }
        return UInt8(code ^ mask)
    }

    /// The segment (exponent) a mu-law code was quantized in.
    static func muLawSegment(_ code: UInt8) -> Int { Int(~code & 0x70) >> 4 }

    /// The segment (exponent) an A-law code was quantized in.
    static func aLawSegment(_ code: UInt8) -> Int { Int((code ^ 0x55) & 0x70) >> 4 }
}
