/// Receive statistics for one RTP source: sequence validation and loss counting (RFC 3550 appendix A.1,
/// A.3) and interarrival jitter (A.8). One per SSRC; owned by the session that receives the stream.
///
/// Follows A.1 `update_seq`: a new source is on probation until `minSequential` packets arrive in sequence;
/// the packet that ends probation is the first one counted (`baseSequence`). A jump of at least
/// `maxDropout` ahead (or more than `maxMisorder` behind) is dropped unless the next packet follows it,
/// in which case the source is taken to have restarted and the counters start again from there.
public struct RTPSequenceTracker: Sendable {
    /// A.1 MAX_DROPOUT: the largest forward gap still taken as loss.
    public static let maxDropout: UInt16 = 3000
    /// A.1 MAX_MISORDER: how far behind a packet may arrive and still count as late.
    public static let maxMisorder: UInt16 = 100
    /// A.1 MIN_SEQUENTIAL: packets in sequence needed before a new source is valid.
    public static let minSequential = 2
    /// A.1 RTP_SEQ_MOD.
    private static let sequenceModulus: UInt32 = 1 << 16
    /// A.1: `udelta <= RTP_SEQ_MOD - MAX_MISORDER` is a very large jump; above it, a late or duplicate packet.
    private static let largeJumpLimit: UInt16 = UInt16.max - maxMisorder + 1

    private let requiredSequential: Int
    private var started = false
    private var probation = 0
    /// A.1 `max_seq`: the highest sequence number seen.
    public private(set) var maxSequence: UInt16 = 0
    /// A.1 `base_seq`: the first counted sequence number.
    public private(set) var baseSequence: UInt16 = 0
    /// A.1 `cycles`: wraps of the sequence number, shifted left 16 bits.
    private var shiftedCycles: UInt32 = 0
    /// A.1 `bad_seq`: the sequence number that would confirm a restart; 65537 matches nothing.
    private var badSequence: UInt32 = RTPSequenceTracker.sequenceModulus + 1
    /// A.1 `received`: packets counted, duplicates and late packets included.
    public private(set) var received: UInt32 = 0
    private var receivedPrior: UInt32 = 0
    private var expectedPrior: UInt32 = 0

    private var hasTransit = false
    private var lastTransit: UInt32 = 0
    /// A.8 integer form: the jitter estimate times 16.
    private var scaledJitter: UInt32 = 0

    /// - Parameter minSequential: packets in sequence before the source is valid (A.1 MIN_SEQUENTIAL);
    ///   values below 1 are taken as 1, which accepts the first packet.
    public init(minSequential: Int = RTPSequenceTracker.minSequential) {
        requiredSequential = max(1, minSequential)
    }

    /// The source has passed probation.
    public var isValid: Bool { started && probation == 0 }

    /// The number of times the sequence number wrapped from 65535 to 0.
    public var cycles: UInt32 { shiftedCycles >> 16 }

    /// Extended highest sequence number received: wraps in the high 16 bits, `maxSequence` in the low
    /// 16 (section 6.4.1).
    public var extendedHighest: UInt32 { shiftedCycles &+ UInt32(maxSequence) }

    /// Packets expected since `baseSequence` (A.3: extended_max - base_seq + 1); 0 before the source is valid.
    public var expected: UInt32 {
        guard isValid else { return 0 }
        return extendedHighest &- UInt32(baseSequence) &+ 1
    }

    /// Cumulative number of packets lost (A.3), clamped to the 24-bit signed field of a report block
    /// (section 6.4.1). Negative when duplicates outnumber losses.
    public var cumulativeLost: Int32 {
        let lost = Int64(expected) - Int64(received)
        return Int32(truncatingIfNeeded: min(max(lost, -0x80_0000), 0x7F_FFFF))
    }

    /// Interarrival jitter in RTP clock units (A.8), as reported in a report block.
    public var jitter: UInt32 { scaledJitter >> 4 }

    /// A.1 `update_seq`: accounts for one arriving packet.
    /// - Returns: true when the packet is valid and was counted; false while on probation, or for a
    ///   large jump that is not (yet) confirmed by a following packet. Late and duplicate packets within
    ///   `maxMisorder` return true (A.1 counts them).
    public mutating func update(_ sequence: UInt16) -> Bool {
        if !started {
            // A.1: a new source: init_seq(s, seq); max_seq = seq - 1; probation = MIN_SEQUENTIAL.
            started = true
            initialize(sequence)
            maxSequence = sequence &- 1
            probation = requiredSequential
        }
        let delta = sequence &- maxSequence
        if probation > 0 {
            // Wrapping +1 so that 65535 -> 0 counts as in sequence.
            if sequence == maxSequence &+ 1 {
                probation -= 1
                maxSequence = sequence
                if probation == 0 {
                    initialize(sequence)
                    received &+= 1
                    return true
                }
            } else {
                probation = requiredSequential - 1
                maxSequence = sequence
            }
            return false
        } else if delta < Self.maxDropout {
            // In order, with a permissible gap; a smaller number means the counter wrapped.
            if sequence < maxSequence {
                shiftedCycles &+= Self.sequenceModulus
            }
            maxSequence = sequence
        } else if delta <= Self.largeJumpLimit {
            // A very large jump: accept it only when the next packet follows it (the sender restarted).
            if UInt32(sequence) == badSequence {
                initialize(sequence)
            } else {
                badSequence = (UInt32(sequence) + 1) & (Self.sequenceModulus - 1)
                return false
            }
        } else {
            // A duplicate or a late packet: counted, max_seq unchanged.
        }
        received &+= 1
        return true
    }

    /// A.3: the loss fraction since the previous call (8-bit fixed point, lost/expected x 256, 0 when
    /// nothing was lost or duplicates outweigh losses) and the cumulative loss, for the next report block.
    /// Call once per report sent.
    public mutating func takeReportInterval() -> (fractionLost: UInt8, cumulativeLost: Int32) {
        let expectedNow = expected
        let expectedInterval = expectedNow &- expectedPrior
        expectedPrior = expectedNow
        let receivedInterval = received &- receivedPrior
        receivedPrior = received
        let lostInterval = Int64(expectedInterval) - Int64(receivedInterval)
        let fraction: UInt8
        if expectedInterval == 0 || lostInterval <= 0 {
            fraction = 0
        } else {
            // Clamped: a whole interval lost would be 256.
            fraction = UInt8(clamping: (lostInterval << 8) / Int64(expectedInterval))
        }
        return (fraction, cumulativeLost)
    }

    /// A.8: folds one packet into the interarrival jitter estimate, J += (|D| - J) / 16, where D is the change
    /// in transit time (arrival - RTP timestamp) from the previous packet.
    /// - Parameters:
    ///   - rtpTimestamp: the packet's RTP timestamp.
    ///   - arrival: its arrival time converted to the same clock (RTP clock units); any fixed offset cancels.
    public mutating func updateJitter(rtpTimestamp: UInt32, arrival: UInt32) {
        let transit = arrival &- rtpTimestamp
        guard hasTransit else {
            hasTransit = true
            lastTransit = transit
            return
        }
        let difference = Int32(bitPattern: transit &- lastTransit).magnitude
        lastTransit = transit
        // A.8 integer form: jitter += d - ((jitter + 8) >> 4), kept scaled by 16.
        let next = Int64(scaledJitter) + Int64(difference) - ((Int64(scaledJitter) + 8) >> 4)
        scaledJitter = UInt32(clamping: next)
    }

    /// A.1 `init_seq`: restarts the counters at `sequence`.
    private mutating func initialize(_ sequence: UInt16) {
        baseSequence = sequence
        maxSequence = sequence
        badSequence = Self.sequenceModulus + 1
        shiftedCycles = 0
        received = 0
        receivedPrior = 0
        expectedPrior = 0
    }
}
