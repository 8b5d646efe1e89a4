/// What a context remembers about one SSRC (RFC 3711 section 3.2.3): for SRTP the highest index, which
/// holds the ROC and s_l (section 3.3.1), with the replay window; for SRTCP the receive window and the next
/// index to send (section 3.4).
struct SRTPStreamState {
    let ssrc: UInt32
    var window: SRTPReplayWindow
    /// SRTCP only: the index the next protected packet carries.
    var nextSRTCPIndex: UInt32

    init(ssrc: UInt32, window: SRTPReplayWindow, nextSRTCPIndex: UInt32 = 0) {
        self.ssrc = ssrc
        self.window = window
        self.nextSRTCPIndex = nextSRTCPIndex
    }

    /// The packet index of `sequence` nearest to `highest` (RFC 3711 section 3.3.1 and appendix A):
    /// ```
    /// if (s_l < 2^15)
    ///     if (SEQ - s_l > 2^15) v = ROC - 1 else v = ROC
    /// else
    ///     if (s_l - 2^15 > SEQ) v = ROC + 1 else v = ROC
    /// i = 2^16 * v + SEQ
    /// ```
    /// nil when v would be -1: the packet would precede the stream's first index.
    static func estimatedIndex(of sequence: UInt16, highest: UInt64) -> UInt64? {
        let rolloverCounter = highest >> 16
        let highestSequence = UInt16(truncatingIfNeeded: highest)
        var guess = rolloverCounter
        if highestSequence < 0x8000 {
            if sequence > highestSequence, sequence - highestSequence > 0x8000 {
                guard rolloverCounter > 0 else { return nil }
                guess = rolloverCounter - 1
            }
        } else if highestSequence - 0x8000 > sequence {
            guess = rolloverCounter + 1
        }
        return (guess << 16) | UInt64(sequence)
    }
}
