import Foundation

/// The one JSON line the client prints (keys in snake case). Totals run from each call's first packet to
/// the end of the drain after sending stopped; `window_*` counts the measured window only (between the
/// "media steady" and "media done" markers, where run.sh samples Parley's CPU time).
struct LoadReport: Encodable {
    struct Direction: Encodable {
        var packetsSent: Int
        var packetsReceived: Int
        var lossPercent: Double
        var bytesSent: Int
        var bytesReceived: Int
        /// Packets missing from Parley's RTP sequence numbers as received.
        var sequenceGaps: Int
        var windowPacketsSent: Int
        var windowPacketsReceived: Int

        init(total: DirectionCounters, window: DirectionCounters) {
            packetsSent = total.packetsSent
            packetsReceived = total.packetsReceived
            lossPercent = LoadReport.rounded(total.lossPercent)
            bytesSent = total.bytesSent
            bytesReceived = total.bytesReceived
            sequenceGaps = total.sequenceGaps
            windowPacketsSent = window.packetsSent
            windowPacketsReceived = window.packetsReceived
        }
    }

    var callsRequested: Int
    var callsEstablished: Int
    var setupFailures: Int
    var firstError: String?
    /// What the web side offered (opus: Opus+PCMU; pcmu: PCMU only) and what Parley chose, per call.
    var codecOffered: String
    var codecsAnswered: [String: Int]
    var setupSeconds: Double
    var mediaSeconds: Double
    var webToDevice: Direction
    var deviceToWeb: Direction
    var callsInMediaAtEnd: Int
    var mediaFailures: Int
    var firstMediaFailure: String?
    var srtpChecked: Int
    var srtpCheckFailures: Int
    var consentChecksSent: Int
    var consentChecksAnswered: Int
    /// The client's own 20 ms tick in the window: late (over 5 ms) or skipped ticks mean the client, not
    /// Parley, was short of CPU.
    var clientTicks: Int
    var clientLateTicks: Int
    var clientSkippedTicks: Int
    var clientMaxTickDelayMs: Double
    var ok: Bool

    /// Three decimals, and never NaN or infinity (which JSON cannot carry).
    static func rounded(_ value: Double) -> Double {
        guard value.isFinite else { return -1 }
        return (value * 1000).rounded() / 1000
    }

    func jsonLine() -> String {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        guard let data = try? encoder.encode(self) else { return "{\"ok\":false,\"error\":\"report not encodable\"}" }
        return String(decoding: data, as: UTF8.self)
    }
}
