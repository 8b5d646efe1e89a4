extension RTCPReportBlock {
    /// The 24-bit signed range of the cumulative-loss field (section 6.4.1).
    static let cumulativeLostRange: ClosedRange<Int32> = -0x80_0000...0x7F_FFFF

    /// Reads a block at `offset`; the caller has checked that 24 bytes are there.
    init(reading bytes: UnsafeRawBufferPointer, at offset: Int) {
        let lossWord = WireBytes.uint32(bytes, at: offset + 4)
        self.init(
            ssrc: WireBytes.uint32(bytes, at: offset),
            fractionLost: UInt8(truncatingIfNeeded: lossWord >> 24),
            // Shift the 24-bit field to the top, then back with an arithmetic shift to sign-extend it.
            cumulativeLost: Int32(bitPattern: lossWord << 8) >> 8,
            extendedHighestSequence: WireBytes.uint32(bytes, at: offset + 8),
            jitter: WireBytes.uint32(bytes, at: offset + 12),
            lastSR: WireBytes.uint32(bytes, at: offset + 16),
            delaySinceLastSR: WireBytes.uint32(bytes, at: offset + 20)
        )
    }

    /// Writes the block at `offset`; the caller has checked that 24 bytes are there.
    func write(into buffer: UnsafeMutableRawBufferPointer, at offset: Int) {
        let lost = min(max(cumulativeLost, Self.cumulativeLostRange.lowerBound), Self.cumulativeLostRange.upperBound)
        let lossWord = UInt32(fractionLost) << 24 | (UInt32(bitPattern: lost) & 0x00FF_FFFF)
        WireBytes.store(ssrc, into: buffer, at: offset)
        WireBytes.store(lossWord, into: buffer, at: offset + 4)
        WireBytes.store(extendedHighestSequence, into: buffer, at: offset + 8)
        WireBytes.store(jitter, into: buffer, at: offset + 12)
        WireBytes.store(lastSR, into: buffer, at: offset + 16)
        WireBytes.store(delaySinceLastSR, into: buffer, at: offset + 20)
    }
}
