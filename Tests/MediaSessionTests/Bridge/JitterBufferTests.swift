@testable import MediaSession
import NIOCore
import Testing

/// The jitter buffer on a virtual clock: reordering, duplicates, late frames, loss, and a depth that
/// follows the jitter.
@Suite("Jitter buffer")
struct JitterBufferTests {
    static let start = NIODeadline.uptimeNanoseconds(1_000_000_000)

    /// Inserts frame `sequence` (payload = its low byte) arriving at `milliseconds` after start.
    static func insert(_ buffer: inout JitterBuffer, _ sequence: UInt16, at milliseconds: Int64) -> Bool {
        let payload: [UInt8] = [UInt8(truncatingIfNeeded: sequence)]
        return payload.withUnsafeBytes {
            buffer.insert(
                sequence: sequence, payloadType: 111, payload: $0, rtpTimestamp: UInt32(sequence) &* 960,
                clockRate: 48_000, arrival: start + .milliseconds(milliseconds))
        }
    }

    /// The payload byte of each popped frame, or nil for a missing one, until `turns` are done.
    static func play(_ buffer: inout JitterBuffer, turns: Int) -> [UInt8?] {
        var played: [UInt8?] = []
        for _ in 0..<turns {
            switch buffer.pop() {
            case .frame(let slot, _, let length):
                played.append(buffer.withFrame(slot: slot, length: length) { $0[0] })
            case .missing:
                played.append(nil)
            case .idle:
                break
            }
        }
        return played
    }

    @Test func reorderedFramesPlayInSequence() {
        var buffer = JitterBuffer(minimumDepth: 2, maximumDepth: 6)
        for (index, sequence) in [10, 12, 11, 13].enumerated() {
            #expect(Self.insert(&buffer, UInt16(sequence), at: Int64(index * 20)))
        }
        #expect(Self.play(&buffer, turns: 4) == [10, 11, 12, 13])
    }

    @Test func duplicatesAndLateFramesAreDropped() {
        var buffer = JitterBuffer(minimumDepth: 1, maximumDepth: 4)
        #expect(Self.insert(&buffer, 100, at: 0))
        #expect(!Self.insert(&buffer, 100, at: 1))
        #expect(Self.insert(&buffer, 101, at: 20))
        #expect(Self.play(&buffer, turns: 1) == [100])
        // Frame 100 has been played: a late copy is refused.
        #expect(!Self.insert(&buffer, 100, at: 40))
    }

    @Test func aLostFrameIsReportedWithTheNextOneForFEC() {
        var buffer = JitterBuffer(minimumDepth: 1, maximumDepth: 4)
        _ = Self.insert(&buffer, 1, at: 0)
        _ = Self.insert(&buffer, 3, at: 40)
        #expect(buffer.pop() != .idle)
        guard case .missing(let next?) = buffer.pop() else {
            Issue.record("frame 2 should be missing with frame 3 waiting")
            return
        }
        #expect(buffer.withFrame(slot: next, length: buffer.length(slot: next)) { $0[0] } == 3)
        #expect(Self.play(&buffer, turns: 1) == [3])
    }

    @Test func depthFollowsTheJitter() {
        var steady = JitterBuffer(minimumDepth: 1, maximumDepth: 6)
        for sequence in 0..<50 { _ = Self.insert(&steady, UInt16(sequence), at: Int64(sequence * 20)) }
        var jittery = JitterBuffer(minimumDepth: 1, maximumDepth: 6)
        for sequence in 0..<50 {
            // Arrivals 0 or 60 ms late, alternately.
            _ = Self.insert(&jittery, UInt16(sequence), at: Int64(sequence * 20 + (sequence % 2) * 60))
        }
        #expect(steady.targetDepth <= 2)
        #expect(jittery.targetDepth > steady.targetDepth)
        #expect(jittery.targetDepth <= 6)
    }

    @Test func aStoppedStreamRebuffers() {
        var buffer = JitterBuffer(minimumDepth: 1, maximumDepth: 3)
        // It starts one frame above the minimum: two frames before the first plays.
        _ = Self.insert(&buffer, 1, at: 0)
        #expect(Self.play(&buffer, turns: 1) == [])
        _ = Self.insert(&buffer, 2, at: 20)
        #expect(Self.play(&buffer, turns: 2) == [1, 2])
        // Nothing comes: a few missing turns, then the buffer stops playing instead of concealing forever.
        let turns = Self.play(&buffer, turns: 10)
        #expect(turns.count <= 4)
        #expect(!buffer.isPlaying)
    }
}

extension JitterBufferTests {
    /// A frame arriving after its turn deepens the buffer by one (one turn concealed to make room).
    @Test func aLateFrameDeepensTheBuffer() {
        var buffer = JitterBuffer(minimumDepth: 1, maximumDepth: 6)
        _ = Self.insert(&buffer, 1, at: 0)
        _ = Self.insert(&buffer, 2, at: 20)
        #expect(Self.play(&buffer, turns: 1) == [1])
        #expect(Self.play(&buffer, turns: 1) == [2])
        #expect(Self.play(&buffer, turns: 1) == [nil])  // 3 is not there in time
        let depth = buffer.targetDepth
        #expect(!Self.insert(&buffer, 3, at: 80))
        #expect(buffer.targetDepth == depth + 1)
        // On-time frames after it do not take the depth back down at once.
        for sequence in 4...10 { _ = Self.insert(&buffer, UInt16(sequence), at: Int64(sequence) * 20) }
        #expect(buffer.targetDepth >= depth + 1)
    }
}

extension JitterBufferTests {
    /// After a pause (hold, silence suppression) the sender goes on with the next sequence numbers: the
    /// new talkspurt plays, it is not "late".
    @Test func aTalkspurtAfterAPauseIsPlayed() {
        var buffer = JitterBuffer(minimumDepth: 1, maximumDepth: 3)
        _ = Self.insert(&buffer, 1, at: 0)
        _ = Self.insert(&buffer, 2, at: 20)
        #expect(Self.play(&buffer, turns: 2) == [1, 2])
        _ = Self.play(&buffer, turns: 10)
        #expect(!buffer.isPlaying)
        for sequence in 3...6 { #expect(Self.insert(&buffer, UInt16(sequence), at: Int64(sequence) * 20 + 2000)) }
        #expect(Self.play(&buffer, turns: 4) == [3, 4, 5, 6])
    }
}
