import Foundation

/// Test tones and a Goertzel filter to find which frequency dominates a decoded signal.
enum ToneAnalysis {
    /// `count` samples of a sine at `frequency`.
    static func sine(frequency: Double, sampleRate: Double, count: Int, amplitude: Double) -> [Int16] {
        let step = 2 * Double.pi * frequency / sampleRate
        return (0..<count).map { index in
            let value = amplitude * sin(step * Double(index))
            return Int16(value.rounded())
        }
    }

    /// Signal power at one frequency (Goertzel; the frequency need not fall on a DFT bin).
    static func power(of samples: ArraySlice<Int16>, at frequency: Double, sampleRate: Double) -> Double {
        let coefficient = 2 * cos(2 * Double.pi * frequency / sampleRate)
        var previous = 0.0
        var beforePrevious = 0.0
        for sample in samples {
            let current = Double(sample) + coefficient * previous - beforePrevious
            beforePrevious = previous
            previous = current
        }
        return previous * previous + beforePrevious * beforePrevious - coefficient * previous * beforePrevious
    }

    /// The candidate frequency with the most power, or nil when there are no candidates.
    static func dominantFrequency(
        of samples: ArraySlice<Int16>, sampleRate: Double, candidates: StrideThrough<Int>
    ) -> Int? {
        var best: (frequency: Int, power: Double)?
        for frequency in candidates {
            let candidatePower = power(of: samples, at: Double(frequency), sampleRate: sampleRate)
            if let current = best, current.power >= candidatePower { continue }
            best = (frequency, candidatePower)
        }
        return best?.frequency
    }

    /// Root mean square level.
    static func rms(_ samples: ArraySlice<Int16>) -> Double {
        guard !samples.isEmpty else { return 0 }
        let energy = samples.reduce(0.0) { $0 + Double($1) * Double($1) }
        return (energy / Double(samples.count)).squareRoot()
    }
}
