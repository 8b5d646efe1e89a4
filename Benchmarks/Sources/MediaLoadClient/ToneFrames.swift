import AudioCodecs
import Foundation

/// The 20 ms payloads every call cycles through, encoded once at start so that the client spends nothing
/// on codecs per packet: one second of a 1000 Hz tone for the web side (Opus, and PCMU for the
/// pass-through offer) and one second of a 440 Hz tone in PCMU for the device side (DESIGN.md: each
/// direction its own tone). 8 kHz input, as AudioCodecs.OpusEncoder takes; RFC 7587 section 4.1: the
/// Opus RTP clock still counts 960 per 20 ms.
struct ToneFrames: Sendable {
    static let framesPerCycle = 50
    static let samplesPerFrame = 160

    let webOpus: [[UInt8]]
    let webPCMU: [[UInt8]]
    let devicePCMU: [[UInt8]]

    init() throws {
        let web = Self.tone(hertz: 1000)
        let device = Self.tone(hertz: 440)
        webPCMU = web.map { frame in frame.map { G711.muLaw(from: $0) } }
        devicePCMU = device.map { frame in frame.map { G711.muLaw(from: $0) } }
        let encoder = try OpusEncoder()
        var encoded: [[UInt8]] = []
        var output = [UInt8](repeating: 0, count: 1275)
        for frame in web {
            let length = frame.withUnsafeBufferPointer { samples in
                output.withUnsafeMutableBytes { packet in (try? encoder.encode(samples, into: packet)) ?? 0 }
            }
            guard length > 0 else { throw MediaLoadError("Opus encoding of the test tone failed") }
            encoded.append(Array(output[0..<length]))
        }
        webOpus = encoded
    }

    /// `framesPerCycle` frames of a sine at 8 kHz, half of full scale; whole periods of 1000 and 440 Hz
    /// fit in one second, so the cycle repeats without a click.
    private static func tone(hertz: Double) -> [[Int16]] {
        (0..<framesPerCycle).map { frame in
            (0..<samplesPerFrame).map { sample in
                let n = Double(frame * samplesPerFrame + sample)
                return Int16(16_000 * sin(2 * Double.pi * hertz * n / 8_000))
            }
        }
    }
}
