import AudioCodecs
import Testing

@Suite("G.711")
struct G711Tests {
    static let allSamples: [Int16] = (Int(Int16.min)...Int(Int16.max)).map { Int16($0) }

    // Expected codes from the Sun g711.c algorithm (checked by hand for 0, +-1 and the extremes: silence is
    // 0xFF in mu-law and 0xD5 in A-law, full scale is 0x80/0x00 and 0xAA/0x2A).
    @Test func muLawKnownCodes() {
        let cases: [(Int16, UInt8)] = [
            (0, 0xFF), (1, 0xFF), (-1, 0x7F), (3, 0xFF), (4, 0xFE), (-4, 0x7E), (100, 0xF2), (-100, 0x72),
            (1000, 0xCE), (-1000, 0x4E), (8159, 0x9F), (-8159, 0x1F), (32635, 0x80), (32636, 0x80),
            (32767, 0x80), (-32635, 0x00), (-32768, 0x00),
        ]
        for (sample, code) in cases {
            #expect(G711.muLaw(from: sample) == code, "mu-law of \(sample)")
        }
    }

    @Test func aLawKnownCodes() {
        let cases: [(Int16, UInt8)] = [
            (0, 0xD5), (1, 0xD5), (15, 0xD5), (16, 0xD4), (-1, 0x55), (-16, 0x54), (100, 0xD3), (-100, 0x53),
            (1000, 0xFA), (-1000, 0x7A), (8159, 0x8A), (-8159, 0x0A), (32767, 0xAA), (-32768, 0x2A),
        ]
        for (sample, code) in cases {
            #expect(G711.aLaw(from: sample) == code, "A-law of \(sample)")
        }
    }

    @Test func knownExpansions() {
        let muLaw: [(UInt8, Int16)] = [
            (0xFF, 0), (0x7F, 0), (0xFE, 8), (0xF2, 104), (0xE7, 260), (0x80, 32124), (0x00, -32124),
            (0x8F, 16764), (0x0F, -16764),
        ]
        for (code, linear) in muLaw {
            #expect(G711.linear(fromMuLaw: code) == linear, "mu-law code \(code)")
        }
        let aLaw: [(UInt8, Int16)] = [
            (0xD5, 8), (0x55, -8), (0xE7, 1184), (0xAA, 32256), (0x2A, -32256), (0x8F, 6784), (0x0F, -6784),
        ]
        for (code, linear) in aLaw {
            #expect(G711.linear(fromALaw: code) == linear, "A-law code \(code)")
        }
    }

    @Test func encodersMatchTheReferenceForEverySample() {
        var muLawMismatches = 0
        var aLawMismatches = 0
        for sample in Self.allSamples {
            if G711.muLaw(from: sample) != ReferenceG711.linear2ulaw(sample) { muLawMismatches += 1 }
            if G711.aLaw(from: sample) != ReferenceG711.linear2alaw(sample) { aLawMismatches += 1 }
        }
        #expect(muLawMismatches == 0)
        #expect(aLawMismatches == 0)
    }

    @Test func everyCodeSurvivesDecodeThenEncode() {
        for code in UInt8.min...UInt8.max {
            // 0x7F is mu-law's negative zero: it decodes to 0, which encodes as the positive zero 0xFF.
            let expectedMuLaw: UInt8 = code == 0x7F ? 0xFF : code
            #expect(G711.muLaw(from: G711.linear(fromMuLaw: code)) == expectedMuLaw, "mu-law code \(code)")
            #expect(G711.aLaw(from: G711.linear(fromALaw: code)) == code, "A-law code \(code)")
        }
    }

    @Test func lawsAreSymmetric() {
        var asymmetric: [Int16] = []
        for magnitude in Int16(1)...Int16.max
        where G711.muLaw(from: -magnitude) != G711.muLaw(from: magnitude) ^ 0x80
            || G711.aLaw(from: -magnitude) != G711.aLaw(from: magnitude) ^ 0x80
        {
            asymmetric.append(magnitude)
        }
        #expect(asymmetric.isEmpty)
        for code in UInt8(0)...UInt8(0x7F) {
            #expect(G711.linear(fromMuLaw: code) == -G711.linear(fromMuLaw: code | 0x80))
            #expect(G711.linear(fromALaw: code) == -G711.linear(fromALaw: code | 0x80))
        }
    }

    /// Each code decodes to the middle of its step, so the error is at most half a step of the segment the
    /// sample fell in: mu-law steps are 8 << segment, A-law steps 16 in segments 0 and 1 and 16 << (segment - 1)
    /// above. Beyond mu-law's clip (|x| > 32635) the error is the distance to the top level 32124.
    @Test func quantizationErrorStaysWithinHalfAStep() {
        var worstMuLaw = 0
        var worstALaw = 0
        var outOfBound: [Int16] = []
        for sample in Self.allSamples {
            let value = Int(sample)
            let muLaw = G711.muLaw(from: sample)
            let muLawError = abs(Int(G711.linear(fromMuLaw: muLaw)) - value)
            let muLawBound = abs(value) > 32635 ? abs(value) - 32124 : 4 << ReferenceG711.muLawSegment(muLaw)
            worstMuLaw = max(worstMuLaw, muLawError)

            let aLaw = G711.aLaw(from: sample)
            let aLawError = abs(Int(G711.linear(fromALaw: aLaw)) - value)
            let aLawBound = 8 << max(ReferenceG711.aLawSegment(aLaw) - 1, 0)
            worstALaw = max(worstALaw, aLawError)

            if muLawError > muLawBound || aLawError > aLawBound { outOfBound.append(sample) }
        }
        #expect(outOfBound.isEmpty)
        // The worst cases: mu-law's clip at -32768 (32768 - 32124) and half of A-law's top step of 1024.
        #expect(worstMuLaw == 32768 - 32124)
        #expect(worstALaw == 512)
    }

    @Test func decodedLevelsNeverGoBackwards() {
        var lastMuLaw = Int16.min
        var lastALaw = Int16.min
        var backwards: [Int16] = []
        for sample in Self.allSamples {
            let muLaw = G711.linear(fromMuLaw: G711.muLaw(from: sample))
            let aLaw = G711.linear(fromALaw: G711.aLaw(from: sample))
            if muLaw < lastMuLaw || aLaw < lastALaw { backwards.append(sample) }
            lastMuLaw = muLaw
            lastALaw = aLaw
        }
        #expect(backwards.isEmpty)
    }

    @Test func bufferFunctionsMatchTheScalarOnes() {
        let samples = Self.allSamples
        var muLaw = [UInt8](repeating: 0, count: samples.count)
        var aLaw = [UInt8](repeating: 0, count: samples.count)
        let encoded = samples.withUnsafeBufferPointer { input in
            (
                muLaw.withUnsafeMutableBytes { G711.encodeMuLaw(input, into: $0) },
                aLaw.withUnsafeMutableBytes { G711.encodeALaw(input, into: $0) }
            )
        }
        #expect(encoded.0 == samples.count && encoded.1 == samples.count)
        #expect(muLaw == samples.map(G711.muLaw(from:)))
        #expect(aLaw == samples.map(G711.aLaw(from:)))

        let codes = Array(UInt8.min...UInt8.max)
        var muLawLinear = [Int16](repeating: 0x5A5A, count: 256)
        var aLawLinear = [Int16](repeating: 0x5A5A, count: 256)
        let decoded = codes.withUnsafeBytes { input in
            (
                muLawLinear.withUnsafeMutableBufferPointer { G711.decodeMuLaw(input, into: $0) },
                aLawLinear.withUnsafeMutableBufferPointer { G711.decodeALaw(input, into: $0) }
            )
        }
        #expect(decoded.0 == 256 && decoded.1 == 256)
        #expect(muLawLinear == codes.map(G711.linear(fromMuLaw:)))
        #expect(aLawLinear == codes.map(G711.linear(fromALaw:)))
    }

    @Test func bufferFunctionsStopAtTheShorterSide() {
        let samples: [Int16] = [0, 1000, -1000, 32767]
        var output = [UInt8](repeating: 0xEE, count: 6)
        let written = samples.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBytes { bytes in
                G711.encodeALaw(input, into: UnsafeMutableRawBufferPointer(rebasing: bytes[0..<2]))
            }
        }
        #expect(written == 2)
        #expect(output == [0xD5, 0xFA, 0xEE, 0xEE, 0xEE, 0xEE])

        var pcm = [Int16](repeating: 7, count: 3)
        let payload: [UInt8] = [0xFF, 0x80, 0x00, 0x7F, 0xFE]
        let decoded = payload.withUnsafeBytes { input in
            pcm.withUnsafeMutableBufferPointer { G711.decodeMuLaw(input, into: $0) }
        }
        #expect(decoded == 3)
        #expect(pcm == [0, 32124, -32124])

        let nothing = payload.withUnsafeBytes { input in
            pcm.withUnsafeMutableBufferPointer { output in
                G711.decodeALaw(UnsafeRawBufferPointer(rebasing: input[0..<0]), into: output)
            }
        }
        #expect(nothing == 0)
        #expect(pcm == [0, 32124, -32124])
    }
}
