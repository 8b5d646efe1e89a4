import AudioCodecs

/// Memory a test owns for the codecs' pointer APIs: inputs are copied in, outputs read back as arrays.
final class CodecScratch {
    /// Decoder output; holds any packet (120 ms at 8 kHz).
    let pcm = UnsafeMutableBufferPointer<Int16>.allocate(capacity: OpusDecoder.maximumFrameSamples)
    /// Encoder output; holds any single-frame packet (RFC 6716 section 3.2.1).
    let packet = UnsafeMutableRawBufferPointer.allocate(byteCount: 1275, alignment: 16)
    private let inputPCM = UnsafeMutableBufferPointer<Int16>.allocate(capacity: 8000)
    private let inputBytes = UnsafeMutableRawBufferPointer.allocate(byteCount: 1500, alignment: 16)

    init() {
        pcm.initialize(repeating: 0)
        inputPCM.initialize(repeating: 0)
        _ = packet.initializeMemory(as: UInt8.self, repeating: 0)
        _ = inputBytes.initializeMemory(as: UInt8.self, repeating: 0)
    }

    deinit {
        pcm.deallocate()
        packet.deallocate()
        inputPCM.deallocate()
        inputBytes.deallocate()
    }

    /// Copies samples (at most 8000) into owned memory.
    func samples(_ values: ArraySlice<Int16>) -> UnsafeBufferPointer<Int16> {
        for (offset, value) in values.enumerated() { inputPCM[offset] = value }
        return UnsafeBufferPointer(rebasing: inputPCM[0..<values.count])
    }

    /// Copies a packet (at most 1500 bytes) into owned memory.
    func bytes(_ values: [UInt8]) -> UnsafeRawBufferPointer {
        for (offset, value) in values.enumerated() { inputBytes[offset] = value }
        return UnsafeRawBufferPointer(rebasing: inputBytes[0..<values.count])
    }

    /// The first `count` bytes the encoder wrote.
    func encoded(_ count: Int) -> [UInt8] { Array(UnsafeRawBufferPointer(rebasing: packet[0..<count])) }

    /// The first `count` decoded samples.
    func decoded(_ count: Int) -> [Int16] { Array(pcm[0..<count]) }

    /// Zeroes the decoder output.
    func clearPCM() { pcm.initialize(repeating: 0) }
}
