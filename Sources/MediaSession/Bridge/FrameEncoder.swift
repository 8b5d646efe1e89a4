import AudioCodecs

/// Encodes 20 ms of 8 kHz PCM for one leg.
enum FrameEncoder {
    case opus(OpusEncoder)
    case pcmu
    case pcma

    init(kind: NegotiatedCodecKind, opusSettings: OpusEncoderSettings) throws(AudioCodecError) {
        switch kind {
        case .opus: self = .opus(try OpusEncoder(settings: opusSettings))
        case .pcma: self = .pcma
        case .pcmu, .telephoneEvent: self = .pcmu
        }
    }

    /// Returns the payload length written into `output`, 0 on failure.
    func encode(_ pcm: UnsafeBufferPointer<Int16>, into output: UnsafeMutableRawBufferPointer) -> Int {
        switch self {
        case .opus(let encoder):
            return (try? encoder.encode(pcm, into: output)) ?? 0
        case .pcmu:
            guard output.count >= pcm.count else { return 0 }
            G711.encodeMuLaw(pcm, into: output)
            return pcm.count
        case .pcma:
            guard output.count >= pcm.count else { return 0 }
            G711.encodeALaw(pcm, into: output)
            return pcm.count
        }
    }
}
