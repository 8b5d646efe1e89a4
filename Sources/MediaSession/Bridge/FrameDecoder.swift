import AudioCodecs

/// Turns one leg's frames into 8 kHz PCM: Opus decodes straight to 8 kHz (libopus needs no resampler),
/// G.711 through its tables.
enum FrameDecoder {
    case opus(OpusDecoder)
    case pcmu
    case pcma

    init(kind: NegotiatedCodecKind) throws(AudioCodecError) {
        switch kind {
        case .opus: self = .opus(try OpusDecoder())
        case .pcma: self = .pcma
        case .pcmu, .telephoneEvent: self = .pcmu
        }
    }

    /// Decodes a frame; returns the number of samples written.
    func decode(_ payload: UnsafeRawBufferPointer, into pcm: UnsafeMutableBufferPointer<Int16>) -> Int {
        switch self {
        case .opus(let decoder):
            return (try? decoder.decode(payload, into: pcm)) ?? 0
        case .pcmu:
            let samples = min(payload.count, pcm.count)
            G711.decodeMuLaw(UnsafeRawBufferPointer(rebasing: payload[0..<samples]), into: pcm)
            return samples
        case .pcma:
            let samples = min(payload.count, pcm.count)
            G711.decodeALaw(UnsafeRawBufferPointer(rebasing: payload[0..<samples]), into: pcm)
            return samples
        }
    }

    /// Fills in a lost frame: from the next packet's in-band FEC when it is here (RFC 6716 section 2.1.7),
    /// otherwise by Opus packet loss concealment; G.711 plays silence.
    func conceal(
        frameSamples: Int, next: UnsafeRawBufferPointer?, into pcm: UnsafeMutableBufferPointer<Int16>
    ) -> Int {
        let samples = min(frameSamples, pcm.count)
        switch self {
        case .opus(let decoder):
            if let next, let recovered = try? decoder.decodeFEC(from: next, into: pcm, frameSamples: samples),
                recovered > 0
            {
                return recovered
            }
            return (try? decoder.concealLoss(into: pcm, frameSamples: samples)) ?? 0
        case .pcmu, .pcma:
            for index in 0..<samples { pcm[index] = 0 }
            return samples
        }
    }
}
