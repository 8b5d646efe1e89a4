import NIOCore
import RTP

/// A small adaptive jitter buffer for one incoming stream of audio frames (one frame per RTP packet).
/// Frames are kept in fixed slots indexed by sequence number, so reordering costs nothing and nothing is
/// allocated after init. Playout starts once `targetDepth` frames are buffered; the target follows the
/// interarrival jitter (RFC 3550 appendix A.8) between `minimumDepth` and `maximumDepth` frames.
struct JitterBuffer {
    static let slotCount = 16
    /// The largest Opus packet is 1275 bytes (RFC 6716 section 3.2.1).
    static let slotCapacity = 1280

    enum Pop: Equatable {
        /// The frame for this turn is in `slot`.
        case frame(slot: Int, payloadType: UInt8, length: Int)
        /// This turn's frame is lost; `next` holds the following frame when it is already here (for FEC).
        case missing(next: Int?)
        /// Not playing: buffering, or nothing received.
        case idle
    }

    let minimumDepth: Int
    let maximumDepth: Int
    private(set) var targetDepth: Int
    private(set) var isPlaying = false
    private(set) var count = 0
    /// Interarrival jitter in milliseconds, times 16 (RFC 3550 A.8 keeps it scaled the same way).
    private var jitterScaled = 0
    private var lastArrival: NIODeadline?
    private var lastTimestamp: UInt32 = 0
    private var consecutiveMisses = 0
    private var nextPlayout: UInt16 = 0
    private var oldestBuffered: UInt16?
    /// The last sequence number played (or concealed): anything at or before it is late for good.
    private var lastPlayed: UInt16?
    /// A frame came too late: the next turn is concealed without advancing, one frame deeper.
    private var growBeforeNextTurn = false
    /// The last turn had no frame (concealed): its frame arriving now is late, not a duplicate.
    private var lastTurnConcealed = false
    /// The depth lateness asked for; the jitter estimate cannot take the target below it. It comes down
    /// one frame after `floorHold` turns without a late frame.
    private var latenessFloor = 0
    private var turnsSinceLate = 0
    static let floorHold = 500

    private var storage: [UInt8]
    private var lengths: [Int]
    private var sequences: [UInt16]
    private var payloadTypes: [UInt8]

    init(minimumDepth: Int = 1, maximumDepth: Int = 6) {
        self.minimumDepth = max(1, minimumDepth)
        self.maximumDepth = min(Self.slotCount - 2, max(self.minimumDepth, maximumDepth))
        targetDepth = self.minimumDepth + 1 > self.maximumDepth ? self.minimumDepth : self.minimumDepth + 1
        storage = [UInt8](repeating: 0, count: Self.slotCount * Self.slotCapacity)
        lengths = [Int](repeating: -1, count: Self.slotCount)
        sequences = [UInt16](repeating: 0, count: Self.slotCount)
        payloadTypes = [UInt8](repeating: 0, count: Self.slotCount)
    }

    /// Stores a frame. Returns false when it is dropped: too late, a duplicate, or too large.
    @discardableResult
    mutating func insert(
        sequence: UInt16, payloadType: UInt8, payload: UnsafeRawBufferPointer, rtpTimestamp: UInt32, clockRate: Int,
        arrival: NIODeadline
    ) -> Bool {
        guard payload.count <= Self.slotCapacity, payload.count > 0 else { return false }
        if let lastPlayed {
            let sincePlayed = Int(RTPSerial.distance(lastPlayed, sequence))
            if sincePlayed <= 0 && sincePlayed > -Self.slotCount {
                // Its turn has passed: too late for good, and (unless a copy of the frame just played)
                // a sign the buffer is too shallow.
                if isPlaying && (sincePlayed < 0 || lastTurnConcealed) { growForLateness() }
                return false
            }
            if sincePlayed <= -Self.slotCount { reset() }  // far behind: the stream restarted
        }
        if isPlaying {
            let ahead = Int(RTPSerial.distance(nextPlayout, sequence))
            if ahead < 0 { return false }
            if ahead >= Self.slotCount {
                // The stream jumped (a new source, a long gap): start again from this frame.
                reset()
            }
        } else if let oldest = oldestBuffered, RTPSerial.distance(oldest, sequence) >= Int16(Self.slotCount) {
            reset()
        }
        let slot = Int(sequence) % Self.slotCount
        if lengths[slot] >= 0 {
            if sequences[slot] == sequence { return false }  // duplicate
            count -= 1  // an older frame nobody played; the new one wins
        }
        storage.withUnsafeMutableBytes { bytes in
            let base = bytes.baseAddress! + slot * Self.slotCapacity
            base.copyMemory(from: payload.baseAddress!, byteCount: payload.count)
        }
        lengths[slot] = payload.count
        sequences[slot] = sequence
        payloadTypes[slot] = payloadType
        count += 1
        if !isPlaying {
            if let oldest = oldestBuffered {
                if RTPSerial.distance(oldest, sequence) < 0 { oldestBuffered = sequence }
            } else {
                oldestBuffered = sequence
            }
        }
        updateJitter(rtpTimestamp: rtpTimestamp, clockRate: clockRate, arrival: arrival)
        return true
    }

    /// One playout turn.
    mutating func pop() -> Pop {
        if !isPlaying {
            guard count >= targetDepth, let oldest = oldestBuffered else { return .idle }
            isPlaying = true
            nextPlayout = oldest
            oldestBuffered = nil
            consecutiveMisses = 0
        }
        if growBeforeNextTurn {
            growBeforeNextTurn = false
            if count < targetDepth { return .missing(next: nil) }
        }
        // Running late behind a burst: drop one frame per turn until back near the target.
        if count > targetDepth + 2, let slot = filledSlot(for: nextPlayout) {
            lengths[slot] = -1
            count -= 1
            nextPlayout &+= 1
        }
        let sequence = nextPlayout
        nextPlayout &+= 1
        lastPlayed = sequence
        turnsSinceLate += 1
        if latenessFloor > 0, turnsSinceLate >= Self.floorHold {
            latenessFloor -= 1
            turnsSinceLate = 0
        }
        if let slot = filledSlot(for: sequence) {
            let length = lengths[slot]
            lengths[slot] = -1
            count -= 1
            consecutiveMisses = 0
            lastTurnConcealed = false
            return .frame(slot: slot, payloadType: payloadTypes[slot], length: length)
        }
        consecutiveMisses += 1
        lastTurnConcealed = true
        if count == 0 && consecutiveMisses > maximumDepth {
            // The stream stopped (hold, silence suppression): buffer again before playing. What the
            // sender sends next continues its numbering, so nothing counts as late any more.
            isPlaying = false
            lastPlayed = nil
            return .idle
        }
        return .missing(next: filledSlot(for: nextPlayout))
    }

    /// The bytes of a popped frame; valid until the next insert.
    func withFrame<Result>(slot: Int, length: Int, _ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try storage.withUnsafeBytes { bytes in
            try body(UnsafeRawBufferPointer(rebasing: bytes[(slot * Self.slotCapacity)..<(slot * Self.slotCapacity + length)]))
        }
    }

    /// The payload type of a buffered (not yet popped) frame in `slot`.
    func payloadType(slot: Int) -> UInt8 { payloadTypes[slot] }
    func length(slot: Int) -> Int { max(0, lengths[slot]) }

    /// Interarrival jitter in milliseconds.
    var jitterMilliseconds: Int { jitterScaled / 16 }

    mutating func reset() {
        for slot in 0..<Self.slotCount { lengths[slot] = -1 }
        lastPlayed = nil
        growBeforeNextTurn = false
        latenessFloor = 0
        count = 0
        isPlaying = false
        oldestBuffered = nil
        consecutiveMisses = 0
    }

    /// RFC 3550 A.8 jitter lags a sudden change; a frame arriving after its turn says the buffer is too
    /// shallow now.
    private mutating func growForLateness() {
        turnsSinceLate = 0
        guard targetDepth < maximumDepth else { return }
        targetDepth += 1
        latenessFloor = targetDepth
        growBeforeNextTurn = true
    }

    private func filledSlot(for sequence: UInt16) -> Int? {
        let slot = Int(sequence) % Self.slotCount
        return lengths[slot] >= 0 && sequences[slot] == sequence ? slot : nil
    }

    /// RFC 3550 appendix A.8, in milliseconds: D = (arrival difference) - (timestamp difference);
    /// J += (|D| - J) / 16. The target depth covers twice the jitter plus one frame.
    private mutating func updateJitter(rtpTimestamp: UInt32, clockRate: Int, arrival: NIODeadline) {
        defer {
            lastArrival = arrival
            lastTimestamp = rtpTimestamp
        }
        guard let lastArrival, clockRate > 0 else { return }
        let arrivalMilliseconds = (arrival.uptimeNanoseconds &- lastArrival.uptimeNanoseconds) / 1_000_000
        let timestampMilliseconds = Int(Int32(bitPattern: rtpTimestamp &- lastTimestamp)) * 1000 / clockRate
        let difference = abs(Int(truncatingIfNeeded: arrivalMilliseconds) - timestampMilliseconds)
        guard difference < 10_000 else { return }  // a jump, not jitter
        jitterScaled += difference - (jitterScaled + 8) / 16
        let frames = 1 + (2 * jitterMilliseconds + 19) / 20
        targetDepth = min(maximumDepth, max(minimumDepth, frames, latenessFloor))
    }
}
