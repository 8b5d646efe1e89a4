extension RTPSequenceTracker {
    /// A report block for this source (RFC 3550 section 6.4.1), closing the current report interval
    /// (see `takeReportInterval()`).
    /// - Parameters:
    ///   - ssrc: the source this block reports on.
    ///   - lastSR: LSR, the middle 32 bits of the NTP timestamp of the last SR from that source
    ///     (`RTCPSenderReport.compactNTP(_:)`), or 0 if none was received.
    ///   - delaySinceLastSR: DLSR, in units of 1/65536 second, or 0 if no SR was received.
    public mutating func makeReportBlock(
        ssrc: UInt32, lastSR: UInt32 = 0, delaySinceLastSR: UInt32 = 0
    )
        -> RTCPReportBlock
    {
        let interval = takeReportInterval()
        return RTCPReportBlock(
            ssrc: ssrc,
            fractionLost: interval.fractionLost,
            cumulativeLost: interval.cumulativeLost,
            extendedHighestSequence: extendedHighest,
            jitter: jitter,
            lastSR: lastSR,
            delaySinceLastSR: delaySinceLastSR
        )
    }
}
