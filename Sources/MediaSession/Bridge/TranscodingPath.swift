import AudioCodecs
import NIOCore

/// One direction of a transcoded call: frames from the source leg go through a jitter buffer, are
/// decoded to 8 kHz PCM (with FEC or concealment for lost frames), and leave as 20 ms frames encoded
/// for the other leg. A PCM queue absorbs frames that are not 20 ms long (a device sending 30 ms, Opus
/// sending 60 ms).
final class TranscodingPath {
    /// 20 ms at 8 kHz.
    static let frameSamples = 160
    static let queueCapacity = 1920

    private(set) var jitter: JitterBuffer
    let decoder: FrameDecoder
    let encoder: FrameEncoder
    let sourceKind: NegotiatedCodecKind
    let targetKind: NegotiatedCodecKind
    private let queue: UnsafeMutableBufferPointer<Int16>
    private var queued = 0
    /// The length of the last good frame, the size a lost one is concealed at.
    private var lastFrameSamples = frameSamples
    private(set) var concealedFrames = 0

    init(
        from sourceKind: NegotiatedCodecKind, to targetKind: NegotiatedCodecKind, opusSettings: OpusEncoderSettings,
        jitter: JitterBuffer
    ) throws(AudioCodecError) {
        self.sourceKind = sourceKind
        self.targetKind = targetKind
        decoder = try FrameDecoder(kind: sourceKind)
        encoder = try FrameEncoder(kind: targetKind, opusSettings: opusSettings)
        self.jitter = jitter
        queue = UnsafeMutableBufferPointer<Int16>.allocate(capacity: Self.queueCapacity)
        queue.initialize(repeating: 0)
    }

    deinit { queue.deallocate() }

    func receive(
        sequence: UInt16, payloadType: UInt8, payload: UnsafeRawBufferPointer, rtpTimestamp: UInt32, clockRate: Int,
        arrival: NIODeadline
    ) {
        jitter.insert(
            sequence: sequence, payloadType: payloadType, payload: payload, rtpTimestamp: rtpTimestamp,
            clockRate: clockRate, arrival: arrival)
    }

    /// One 20 ms turn: encodes the next frame into `output` and returns its length, or 0 when there is
    /// nothing to play (buffering, the source is silent or on hold).
    func nextFrame(scratch: PacketScratch, into output: UnsafeMutableRawBufferPointer) -> Int {
        var turns = 0
        while queued < Self.frameSamples && turns < 4 {
            turns += 1
            let produced: Int
            switch jitter.pop() {
            case .idle:
                if queued == 0 { return 0 }
                // The stream stopped part-way through a frame: pad the rest with silence.
                for index in queued..<Self.frameSamples { queue[index] = 0 }
                queued = Self.frameSamples
                continue
            case .frame(let slot, _, let length):
                produced = jitter.withFrame(slot: slot, length: length) { decoder.decode($0, into: scratch.decoded) }
                if produced > 0 { lastFrameSamples = produced }
            case .missing(let next):
                concealedFrames += 1
                if let next {
                    produced = jitter.withFrame(slot: next, length: jitter.length(slot: next)) {
                        decoder.conceal(frameSamples: lastFrameSamples, next: $0, into: scratch.decoded)
                    }
                } else {
                    produced = decoder.conceal(frameSamples: lastFrameSamples, next: nil, into: scratch.decoded)
                }
            }
            append(UnsafeBufferPointer(rebasing: scratch.decoded[0..<min(produced, scratch.decoded.count)]))
        }
        guard queued >= Self.frameSamples else { return 0 }
        let written = encoder.encode(UnsafeBufferPointer(rebasing: queue[0..<Self.frameSamples]), into: output)
        // Keep what is left for the next turn.
        let rest = queued - Self.frameSamples
        if rest > 0 {
            for index in 0..<rest { queue[index] = queue[Self.frameSamples + index] }
        }
        queued = rest
        return written
    }

    /// Forgets buffered audio (hold, a new source).
    func flush() {
        jitter.reset()
        queued = 0
    }

    private func append(_ samples: UnsafeBufferPointer<Int16>) {
        let room = Self.queueCapacity - queued
        let count = min(room, samples.count)
        for index in 0..<count { queue[queued + index] = samples[index] }
        queued += count
    }
}
