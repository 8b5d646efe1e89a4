/// Packets one way through the bridge: sent by the client on one leg, received back on the other.
struct DirectionCounters: Sendable {
    var packetsSent = 0
    var bytesSent = 0
    var packetsReceived = 0
    var bytesReceived = 0
    /// Packets missing from Parley's RTP sequence on the receiving socket (forward jumps beyond one).
    var sequenceGaps = 0

    static func + (lhs: DirectionCounters, rhs: DirectionCounters) -> DirectionCounters {
        DirectionCounters(
            packetsSent: lhs.packetsSent + rhs.packetsSent, bytesSent: lhs.bytesSent + rhs.bytesSent,
            packetsReceived: lhs.packetsReceived + rhs.packetsReceived,
            bytesReceived: lhs.bytesReceived + rhs.bytesReceived, sequenceGaps: lhs.sequenceGaps + rhs.sequenceGaps)
    }

    static func - (lhs: DirectionCounters, rhs: DirectionCounters) -> DirectionCounters {
        DirectionCounters(
            packetsSent: lhs.packetsSent - rhs.packetsSent, bytesSent: lhs.bytesSent - rhs.bytesSent,
            packetsReceived: lhs.packetsReceived - rhs.packetsReceived,
            bytesReceived: lhs.bytesReceived - rhs.bytesReceived, sequenceGaps: lhs.sequenceGaps - rhs.sequenceGaps)
    }

    /// Sent but not received, in percent of sent; 0 when more came back than went (Parley conceals a
    /// missing frame on a transcoded leg), 100 when nothing was sent.
    var lossPercent: Double {
        guard packetsSent > 0 else { return 100 }
        return max(0, Double(packetsSent - packetsReceived) / Double(packetsSent) * 100)
    }
}

/// Everything the media engine counts, summed over its calls; a snapshot taken on its loop.
struct MediaTotals: Sendable {
    /// Web socket -> Parley -> device socket.
    var webToDevice = DirectionCounters()
    /// Device socket -> Parley -> web socket.
    var deviceToWeb = DirectionCounters()
    /// Calls sending media now, and calls whose media failed after it had started.
    var callsInMedia = 0
    var mediaFailures = 0
    var firstMediaFailure: String?
    /// SRTP packets from Parley decrypted as a sample, and those that failed authentication.
    var srtpChecked = 0
    var srtpCheckFailures = 0
    /// STUN consent checks (RFC 7675) sent during media, and their success responses.
    var consentChecksSent = 0
    var consentChecksAnswered = 0
    /// The client's own 20 ms tick: how many ran, how many fired more than 5 ms late, the worst delay, and
    /// ticks skipped after a stall. A late client sends less, which makes Parley look cheaper.
    var ticks = 0
    var lateTicks = 0
    var skippedTicks = 0
    var maxTickDelayMicroseconds: Int64 = 0

    static func - (lhs: MediaTotals, rhs: MediaTotals) -> MediaTotals {
        var difference = lhs
        difference.webToDevice = lhs.webToDevice - rhs.webToDevice
        difference.deviceToWeb = lhs.deviceToWeb - rhs.deviceToWeb
        difference.srtpChecked = lhs.srtpChecked - rhs.srtpChecked
        difference.srtpCheckFailures = lhs.srtpCheckFailures - rhs.srtpCheckFailures
        difference.consentChecksSent = lhs.consentChecksSent - rhs.consentChecksSent
        difference.consentChecksAnswered = lhs.consentChecksAnswered - rhs.consentChecksAnswered
        difference.ticks = lhs.ticks - rhs.ticks
        difference.lateTicks = lhs.lateTicks - rhs.lateTicks
        difference.skippedTicks = lhs.skippedTicks - rhs.skippedTicks
        return difference
    }
}
