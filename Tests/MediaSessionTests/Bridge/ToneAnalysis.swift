import Foundation

/// Frequency checks for decoded audio: a Goertzel scan that finds the strongest tone.
enum ToneAnalysis {
    static func sine(frequency: Double, sampleRate: Double, count: Int, offset: Int = 0, amplitude: Double = 12_000) -> [Int16] {
        (0..<count).map { index in
            Int16(amplitude * sin(2 * Double.pi * frequency * Double(index + offset) / sampleRate))
        }
    }

    static func power(of samples: [Int16], at frequency: Double, sampleRate: Double) -> Double {
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

    /// The strongest frequency between 100 and 3900 Hz, in 10 Hz steps.
    static func dominantFrequency(of samples: [Int16], sampleRate: Double = 8000) -> Double {
        var best = (frequency: 0.0, power: -1.0)
        var frequency = 100.0
        while frequency <= 3900 {
            let value = power(of: samples, at: frequency, sampleRate: sampleRate)
            if value > best.power { best = (frequency, value) }
            frequency += 10
        }
        return best.frequency
    }
}
