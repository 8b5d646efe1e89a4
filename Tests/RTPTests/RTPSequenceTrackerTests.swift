import RTP
import Testing

@Suite("RTP receive statistics (RFC 3550 appendix A.1, A.3, A.8)")
struct RTPSequenceTrackerTests {
    /// Feeds sequence numbers in order and returns what `update` said for each.
    static func feed(_ tracker: inout RTPSequenceTracker, _ sequences: [UInt16]) -> [Bool] {
        sequences.map { tracker.update($0) }
    }

    @Test func newSourceIsOnProbationForTwoPackets() {
        var tracker = RTPSequenceTracker()
        let results = Self.feed(&tracker, [100, 101, 102])
        // A.1: the first packet only starts probation; the second completes it and is the first counted.
        #expect(results == [false, true, true])
        #expect(tracker.isValid)
        #expect(tracker.baseSequence == 101)
        #expect(tracker.received == 2)
        #expect(tracker.expected == 2)
        #expect(tracker.cumulativeLost == 0)
    }

    @Test func probationRestartsWhenOutOfSequence() {
        var tracker = RTPSequenceTracker()
        let results = Self.feed(&tracker, [100, 102, 103])
        #expect(results == [false, false, true])
        #expect(tracker.baseSequence == 103)
        #expect(tracker.received == 1)
    }

    @Test func probationAcrossTheWrap() {
        var tracker = RTPSequenceTracker()
        let results = Self.feed(&tracker, [65535, 0])
        #expect(results == [false, true])
        #expect(tracker.baseSequence == 0)
        #expect(tracker.cycles == 0)
        #expect(tracker.extendedHighest == 0)
    }

    @Test func minSequentialOfOneAcceptsTheFirstPacket() {
        var tracker = RTPSequenceTracker(minSequential: 1)
        let results = Self.feed(&tracker, [0, 1])
        #expect(results == [true, true])
        #expect(tracker.baseSequence == 0)
        #expect(tracker.cycles == 0)
        #expect(tracker.expected == 2)
        #expect(tracker.received == 2)
    }

    @Test func wrapsFrom65535ToZero() {
        var tracker = RTPSequenceTracker()
        let results = Self.feed(&tracker, [65533, 65534, 65535, 0, 1])
        #expect(results == [false, true, true, true, true])
        #expect(tracker.cycles == 1)
        #expect(tracker.maxSequence == 1)
        #expect(tracker.extendedHighest == 65537)
        #expect(tracker.expected == 4)
        #expect(tracker.received == 4)
        #expect(tracker.cumulativeLost == 0)
    }

    @Test func lossAcrossTheWrapIsCounted() {
        var tracker = RTPSequenceTracker()
        let results = Self.feed(&tracker, [65530, 65531, 2])
        #expect(results == [false, true, true])
        #expect(tracker.extendedHighest == 65538)
        #expect(tracker.expected == 8)
        #expect(tracker.cumulativeLost == 6)
    }

    @Test func latePacketsAndDuplicatesAreCountedWithoutMovingTheMaximum() {
        var tracker = RTPSequenceTracker()
        let results = Self.feed(&tracker, [10, 11, 12, 14, 13, 13])
        #expect(results == [false, true, true, true, true, true])
        #expect(tracker.maxSequence == 14)
        #expect(tracker.expected == 4)
        #expect(tracker.received == 5)
        // A.3: duplicates make the loss negative.
        #expect(tracker.cumulativeLost == -1)
    }

    @Test func packetTooFarBehindIsNotCounted() {
        var tracker = RTPSequenceTracker()
        _ = Self.feed(&tracker, [200, 201, 202])
        // 150 behind the maximum: beyond MAX_MISORDER, so it is a large jump, not a late packet.
        let late = tracker.update(52)
        #expect(!late)
        #expect(tracker.received == 2)
        #expect(tracker.maxSequence == 202)
        // Within MAX_MISORDER it is a late packet and counted.
        let lateButClose = tracker.update(150)
        #expect(lateButClose)
        #expect(tracker.received == 3)
    }

    @Test func gapBelowMaxDropoutIsLoss() {
        var tracker = RTPSequenceTracker()
        let results = Self.feed(&tracker, [1000, 1001, 1001 + 2999])
        #expect(results == [false, true, true])
        #expect(tracker.maxSequence == 4000)
        #expect(tracker.expected == 3000)
        #expect(tracker.cumulativeLost == 2998)
    }

    @Test func largeJumpResynchronisesAfterTwoSequentialPackets() {
        var tracker = RTPSequenceTracker()
        let start = Self.feed(&tracker, Array(1000...1010))
        #expect(start == [false] + Array(repeating: true, count: 10))
        // A.1: a jump of MAX_DROPOUT or more is dropped, and remembered...
        let jump = tracker.update(9000)
        #expect(!jump)
        #expect(tracker.maxSequence == 1010)
        #expect(tracker.received == 10)
        // ...and confirmed by the next packet: the sender restarted, so the counters start again there.
        let confirmed = tracker.update(9001)
        #expect(confirmed)
        #expect(tracker.baseSequence == 9001)
        #expect(tracker.maxSequence == 9001)
        #expect(tracker.extendedHighest == 9001)
        #expect(tracker.received == 1)
        #expect(tracker.expected == 1)
        let next = tracker.update(9002)
        #expect(next)
        #expect(tracker.expected == 2)
    }

    @Test func jumpIsConfirmedEvenWithAnInOrderPacketBetween() {
        var tracker = RTPSequenceTracker()
        _ = Self.feed(&tracker, [1000, 1001, 1002])
        let results = Self.feed(&tracker, [30000, 1003, 30001, 1004])
        // A.1 keeps bad_seq across in-order packets: 30001 still confirms the jump to 30000 and resyncs, after
        // which the old stream's 1004 is itself a large jump.
        #expect(results == [false, true, true, false])
        #expect(tracker.baseSequence == 30001)
    }

    @Test func singleStrayJumpIsIgnored() {
        var tracker = RTPSequenceTracker()
        _ = Self.feed(&tracker, [1000, 1001, 1002])
        let results = Self.feed(&tracker, [30000, 1003, 1004])
        #expect(results == [false, true, true])
        #expect(tracker.baseSequence == 1001)
        #expect(tracker.maxSequence == 1004)
        #expect(tracker.cumulativeLost == 0)
    }

    @Test func fractionLostPerReportInterval() {
        var tracker = RTPSequenceTracker()
        // Base 1; 4 and 5 are lost in the first interval: 2 of 10 expected.
        _ = Self.feed(&tracker, [0, 1, 2, 3, 6, 7, 8, 9, 10])
        #expect(tracker.expected == 10)
        #expect(tracker.received == 8)
        let first = tracker.takeReportInterval()
        #expect(first.fractionLost == 51)  // 2 * 256 / 10, truncated
        #expect(first.cumulativeLost == 2)

        // Nothing lost in the second interval; the cumulative count stays.
        _ = Self.feed(&tracker, Array(11...20))
        let second = tracker.takeReportInterval()
        #expect(second.fractionLost == 0)
        #expect(second.cumulativeLost == 2)

        // Half of the third interval lost.
        _ = Self.feed(&tracker, [22, 24, 26, 28])
        let third = tracker.takeReportInterval()
        #expect(third.fractionLost == 128)
        #expect(third.cumulativeLost == 6)

        // Only duplicates: more received than expected reads as no loss.
        _ = Self.feed(&tracker, [28, 28])
        let fourth = tracker.takeReportInterval()
        #expect(fourth.fractionLost == 0)
        #expect(fourth.cumulativeLost == 4)

        // An empty interval.
        let fifth = tracker.takeReportInterval()
        #expect(fifth.fractionLost == 0)
    }

    @Test func noReportBeforeTheSourceIsValid() {
        var tracker = RTPSequenceTracker()
        _ = tracker.update(7)
        #expect(!tracker.isValid)
        #expect(tracker.expected == 0)
        #expect(tracker.received == 0)
        let interval = tracker.takeReportInterval()
        #expect(interval.fractionLost == 0)
        #expect(interval.cumulativeLost == 0)
    }

    @Test func jitterStaysZeroOnConstantTransit() {
        var tracker = RTPSequenceTracker()
        for index: UInt32 in 0..<100 {
            tracker.updateJitter(rtpTimestamp: index &* 160, arrival: 123_456 &+ index &* 160)
        }
        #expect(tracker.jitter == 0)
    }

    @Test func jitterStaysZeroAcrossTimestampWrap() {
        var tracker = RTPSequenceTracker()
        for index: UInt32 in 0..<20 {
            tracker.updateJitter(rtpTimestamp: 0xFFFF_FF00 &+ index &* 160, arrival: 0xFFFF_FFF0 &+ index &* 160)
        }
        #expect(tracker.jitter == 0)
    }

    @Test func jitterFollowsTransitVariation() {
        var tracker = RTPSequenceTracker()
        // Arrivals alternate 80 ticks late and on time: every |D| is 80.
        tracker.updateJitter(rtpTimestamp: 0, arrival: 1000)
        #expect(tracker.jitter == 0)
        tracker.updateJitter(rtpTimestamp: 160, arrival: 1000 + 160 + 80)
        // A.8: J = 0 + (80 - 0) / 16.
        #expect(tracker.jitter == 5)
        for index: UInt32 in 2..<200 {
            let late: UInt32 = index % 2 == 1 ? 80 : 0
            tracker.updateJitter(rtpTimestamp: index * 160, arrival: 1000 + index * 160 + late)
        }
        // J converges on |D| = 80.
        #expect(tracker.jitter >= 75 && tracker.jitter <= 80)

        // Back to constant transit: the estimate decays.
        let settled = tracker.jitter
        for index: UInt32 in 200..<260 {
            tracker.updateJitter(rtpTimestamp: index * 160, arrival: 1000 + index * 160)
        }
        #expect(tracker.jitter < settled / 2)
    }

    @Test func reportBlockCarriesTheStatistics() {
        var tracker = RTPSequenceTracker()
        _ = Self.feed(&tracker, [65534, 65535, 1])
        tracker.updateJitter(rtpTimestamp: 0, arrival: 0)
        tracker.updateJitter(rtpTimestamp: 160, arrival: 160 + 160)
        let block = tracker.makeReportBlock(ssrc: 0x1234_5678, lastSR: 0xAABB_CCDD, delaySinceLastSR: 0x0001_8000)
        #expect(
            block
                == RTCPReportBlock(
                    ssrc: 0x1234_5678, fractionLost: 85, cumulativeLost: 1, extendedHighestSequence: 65537,
                    jitter: 10, lastSR: 0xAABB_CCDD, delaySinceLastSR: 0x0001_8000))
    }
}
