import RTP

/// The outgoing RTP stream of one leg: Parley's own SSRC, a continuous sequence number and a timestamp
/// on the leg's clock (RFC 3550 section 5.1), so that a change of source (hold, re-INVITE, another
/// branch) never shows as a jump to the peer.
struct RTPSender {
    let ssrc: UInt32
    private(set) var sequenceNumber: UInt16
    /// The timestamp of the next audio frame.
    private(set) var timestamp: UInt32
    private(set) var packetCount: UInt32 = 0
    private(set) var octetCount: UInt32 = 0
    /// Set after a pause so the next packet carries the marker bit (RFC 3551 section 4.1: first packet of
    /// a talkspurt).
    private var markNext = true
    /// Source-to-stream timestamp offset of relayed packets; reset when the source changes.
    private var relayOffset: UInt32?
    private var relaySequenceOffset: UInt16?
    /// Where relayed events start on this stream when it does not share the source's timeline.
    private var eventTimestamps = EventTimestampMap()
    private var lastRelayedSourceSequence: UInt16?
    /// Larger gaps than this in a relayed source are taken as a restart, not loss.
    static let maximumRelayJump = 100

    /// A stream with `ssrc` (random when nil) and random first sequence number and timestamp.
    init<G: RandomNumberGenerator>(ssrc: UInt32? = nil, using generator: inout G) {
        self.ssrc = ssrc ?? UInt32.random(in: 1...UInt32.max, using: &generator)
        // Section 5.1: the initial sequence number and timestamp are random.
        sequenceNumber = UInt16.random(in: 0...UInt16.max, using: &generator)
        timestamp = UInt32.random(in: 0...UInt32.max, using: &generator)
    }

    /// Writes the header of the next audio packet and advances the stream by `samples` clock ticks.
    mutating func writeAudioHeader(into buffer: UnsafeMutableRawBufferPointer, payloadType: UInt8, samples: UInt32)
        -> Int
    {
        let written = RTPHeaderWriter.write(
            into: buffer, payloadType: payloadType, marker: markNext, sequenceNumber: sequenceNumber,
            timestamp: timestamp, ssrc: ssrc)
        markNext = false
        sequenceNumber &+= 1
        timestamp &+= samples
        return written
    }

    /// Writes the header of an event packet (RFC 4733 section 2.3: the timestamp is the event's start and
    /// stays the same for all its packets; sequence numbers go on).
    mutating func writeEventHeader(
        into buffer: UnsafeMutableRawBufferPointer, payloadType: UInt8, marker: Bool, eventTimestamp: UInt32
    ) -> Int {
        let written = RTPHeaderWriter.write(
            into: buffer, payloadType: payloadType, marker: marker, sequenceNumber: sequenceNumber,
            timestamp: eventTimestamp, ssrc: ssrc)
        sequenceNumber &+= 1
        return written
    }

    /// Writes the header of a relayed packet (pass-through): the source's sequence number and timestamp
    /// moved onto this stream by offsets fixed at the first relayed packet, so the peer sees one
    /// continuous stream whatever came before, and still sees the source's gaps (loss) and order.
    mutating func writeRelayedHeader(
        into buffer: UnsafeMutableRawBufferPointer, payloadType: UInt8, marker: Bool, sourceSequence: UInt16,
        sourceTimestamp: UInt32
    ) -> Int {
        // A source that jumps (a new media source behind the same SSRC) is moved onto this stream
        // afresh: the stream the peer sees never jumps, which SRTP's roll-over estimate needs too.
        if let last = lastRelayedSourceSequence, abs(Int(RTPSerial.distance(last, sourceSequence))) > Self.maximumRelayJump {
            relayOffset = nil
            relaySequenceOffset = nil
        }
        lastRelayedSourceSequence = sourceSequence
        let shift = relayOffset ?? (timestamp &- sourceTimestamp)
        relayOffset = shift
        let sequenceShift = relaySequenceOffset ?? (sequenceNumber &- sourceSequence)
        relaySequenceOffset = sequenceShift
        let mappedTimestamp = sourceTimestamp &+ shift
        let mappedSequence = sourceSequence &+ sequenceShift
        let written = RTPHeaderWriter.write(
            into: buffer, payloadType: payloadType, marker: marker || markNext, sequenceNumber: mappedSequence,
            timestamp: mappedTimestamp, ssrc: ssrc)
        markNext = false
        // Keep the next own packet (an event, or audio after a switch) after the newest relayed one.
        if RTPSerial.isNewer(mappedSequence &+ 1, than: sequenceNumber) { sequenceNumber = mappedSequence &+ 1 }
        if RTPSerial.isNewer(mappedTimestamp, than: timestamp) { timestamp = mappedTimestamp }
        return written
    }

    /// The header of a telephone event relayed from the other leg (RFC 4733 section 2.3). With
    /// `sharesSourceTimeline` (pass-through) it is mapped like the relayed audio; otherwise the event starts
    /// at this stream's current timestamp, keeps it for all its packets, and its first packet is marked.
    mutating func writeRelayedEventHeader(
        into buffer: UnsafeMutableRawBufferPointer, payloadType: UInt8, source view: RTPPacketView,
        sharesSourceTimeline: Bool
    ) -> Int {
        if sharesSourceTimeline {
            return writeRelayedHeader(
                into: buffer, payloadType: payloadType, marker: view.marker, sourceSequence: view.sequenceNumber,
                sourceTimestamp: view.timestamp)
        }
        let (start, isNew) = eventTimestamps.map(sourceTimestamp: view.timestamp, currentTarget: timestamp)
        return writeEventHeader(into: buffer, payloadType: payloadType, marker: isNew, eventTimestamp: start)
    }

    /// Media time went on without packets (hold, silence): the timestamp keeps counting so the peer's
    /// playout stays in step, and the next packet starts a talkspurt.
    mutating func skip(samples: UInt32) {
        timestamp &+= samples
        markNext = true
    }

    /// The relayed source changed (a re-INVITE, a new SSRC): the next packet fixes a new offset.
    mutating func restartRelay() {
        relayOffset = nil
        relaySequenceOffset = nil
        lastRelayedSourceSequence = nil
        markNext = true
    }

    mutating func countSent(payloadBytes: Int) {
        packetCount &+= 1
        octetCount &+= UInt32(truncatingIfNeeded: payloadBytes)
    }
}
