import NIOConcurrencyHelpers

/// Collects latencies (nanoseconds) from many connections; percentiles at the end.
final class LatencyRecorder: Sendable {
    private let samples = NIOLockedValueBox<[UInt64]>([])

    func record(_ nanoseconds: UInt64) {
        samples.withLockedValue { $0.append(nanoseconds) }
    }

    var count: Int { samples.withLockedValue { $0.count } }

    /// p in 0...100, in milliseconds.
    func percentile(_ p: Double) -> Double {
        let sorted = samples.withLockedValue { $0.sorted() }
        guard !sorted.isEmpty else { return .nan }
        let index = min(sorted.count - 1, Int((p / 100 * Double(sorted.count)).rounded(.up)) - 1)
        return Double(sorted[max(0, index)]) / 1_000_000
    }
}
