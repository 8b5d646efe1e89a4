/// ITU-T G.711 mu-law (PCMU) and A-law (PCMA) for 16-bit linear PCM.
///
/// The laws are the classic Sun Microsystems g711.c ones, used by most telephony stacks:
/// - mu-law: add the bias 0x84 to the magnitude (clipped at 32635), find the segment (exponent) from the
///   top bit, keep four mantissa bits below it, complement the byte (G.711 table 2a);
/// - A-law: segment of the magnitude, four mantissa bits, even bits toggled by XOR 0x55 (G.711 table 1a).
///
/// Negative samples are reduced by magnitude, so both laws are symmetric: the code of -x is the code of x
/// with the sign bit cleared. (ITU-T G.191's reference reduces negatives in one's complement instead; the two
/// agree on G.711's 14-bit/13-bit grid and differ by one step for a few negative inputs within the low 2-3
/// bits. Sun's 16-bit linear2alaw also subtracts 8 from negative magnitudes, which sends -1...-7 to a wrong
/// code; the magnitude rule here does not.)
///
/// Decoding reads 256-entry tables. Encoding computes the segment with one leading-zero count instead of a
/// table: a table indexed by `sample >> 2` is not exact for the magnitude rule (-3 and -4 share an index but
/// not a code), an exact one needs 64 KiB, which does not stay in L1 beside the rest of the media path,
/// while the arithmetic is a handful of register operations with no memory access.
public enum G711 {
    // G.711 section 3 / Sun g711.c: mu-law bias and the largest magnitude that still fits after biasing.
    static let muLawBias = 0x84
    static let muLawClip = 32635

    /// The mu-law code of one sample.
    @inline(__always)
    public static func muLaw(from sample: Int16) -> UInt8 {
        let value = Int(sample)
        let negative = value < 0
        // -32768 has magnitude 32768; the clip takes it (and everything above 32635) to the top code.
        let biased = min(negative ? 0 &- value : value, muLawClip) &+ muLawBias  // 0x84...0x7FFF
        // Segment: biased lies in [2^(seg+7), 2^(seg+8)), so seg = top bit - 7, in 0...7.
        let segment = (Int.bitWidth &- 1 &- biased.leadingZeroBitCount) &- 7
        let mantissa = (biased &>> (segment &+ 3)) & 0x0F
        let code = UInt8(truncatingIfNeeded: (segment &<< 4) | mantissa)
        // G.711 table 2a: mu-law codes are transmitted complemented; the sign bit is 1 for positive.
        return code ^ (negative ? 0x7F : 0xFF)
    }

    /// The A-law code of one sample.
    @inline(__always)
    public static func aLaw(from sample: Int16) -> UInt8 {
        let value = Int(sample)
        let negative = value < 0
        let magnitude = min(negative ? 0 &- value : value, 0x7FFF)
        // Segment 0 covers 0...255 like segment 1 covers 256...511 (same step of 16); above, one segment per
        // octave: seg = top bit of (magnitude | 0xFF) - 7, in 0...7.
        let segment = (Int.bitWidth &- 1 &- (magnitude | 0xFF).leadingZeroBitCount) &- 7
        let mantissa = (magnitude &>> max(segment &+ 3, 4)) & 0x0F
        let code = UInt8(truncatingIfNeeded: (segment &<< 4) | mantissa)
        // G.711 table 1a: even bits inverted (0x55), sign bit 1 for positive.
        return code ^ (negative ? 0x55 : 0xD5)
    }

    /// The linear value of a mu-law code (the middle of its quantization step).
    @inline(__always)
    public static func linear(fromMuLaw code: UInt8) -> Int16 {
        muLawToLinear[Int(code)]
    }

    /// The linear value of an A-law code (the middle of its quantization step).
    @inline(__always)
    public static func linear(fromALaw code: UInt8) -> Int16 {
        aLawToLinear[Int(code)]
    }

    /// Decoding tables, built once from the expansion rules below.
    static let muLawToLinear: [Int16] = (0...255).map { G711.expandMuLaw(UInt8(truncatingIfNeeded: $0)) }
    static let aLawToLinear: [Int16] = (0...255).map { G711.expandALaw(UInt8(truncatingIfNeeded: $0)) }

    /// Sun ulaw2linear: ((mantissa << 3) + bias) << segment, minus the bias, signed.
    static func expandMuLaw(_ code: UInt8) -> Int16 {
        let complemented = Int(~code)
        let segment = (complemented & 0x70) >> 4
        let magnitude = (((complemented & 0x0F) << 3) + muLawBias) << segment
        return Int16(truncatingIfNeeded: complemented & 0x80 != 0 ? muLawBias - magnitude : magnitude - muLawBias)
    }

    /// Sun alaw2linear: mantissa << 4 plus half a step (8), with the implicit leading one from segment 1 up.
    static func expandALaw(_ code: UInt8) -> Int16 {
        let toggled = Int(code ^ 0x55)
        let segment = (toggled & 0x70) >> 4
        var magnitude = (toggled & 0x0F) << 4
        switch segment {
        case 0: magnitude += 8
        case 1: magnitude += 0x108
        default: magnitude = (magnitude + 0x108) << (segment - 1)
        }
        return Int16(truncatingIfNeeded: toggled & 0x80 != 0 ? magnitude : -magnitude)
    }
}
