import COpus

/// Opus decoder for the bridge's web leg: decodes straight to 8 kHz mono for G.711 (libopus renders any of
/// its rates itself, so no resampler is needed). Not `Sendable`: one owner uses it.
public final class OpusDecoder {
    /// The output rate: the device leg's G.711 rate.
    public static let sampleRate: Int32 = 8000
    /// RFC 6716 section 3.2.5: a packet holds at most 120 ms of audio, 960 samples at 8 kHz. A PCM buffer
    /// this long decodes any packet.
    public static let maximumFrameSamples = 960
    /// Loss concealment and FEC work in multiples of 2.5 ms (opus_decode's contract): 20 samples at 8 kHz.
    static let lossGranule = 20

    private let state: OpaquePointer

    /// Creates a mono decoder at 8 kHz.
    ///
    /// - Throws: `.opus(code:)` when libopus cannot allocate the state.
    public init() throws(AudioCodecError) {
        var status: Int32 = OPUS_OK
        guard let created = opus_decoder_create(OpusDecoder.sampleRate, 1, &status) else {
            throw .opus(code: status == OPUS_OK ? OPUS_ALLOC_FAIL : status)
        }
        guard status == OPUS_OK else {
            opus_decoder_destroy(created)
            throw .opus(code: status)
        }
        self.state = created
    }

    deinit {
        opus_decoder_destroy(state)
    }

    /// Decodes one packet into `pcm` and returns the number of samples written.
    ///
    /// `pcm` must hold the packet's whole duration (`maximumFrameSamples` always does).
    ///
    /// - Throws: `.opus(code: OPUS_INVALID_PACKET)` for an empty or malformed packet (RFC 6716 section 3.4),
    ///   `.bufferTooSmall` when `pcm` is shorter than the packet, `.opus(code:)` for other failures.
    public func decode(
        _ packet: UnsafeRawBufferPointer, into pcm: UnsafeMutableBufferPointer<Int16>
    ) throws(AudioCodecError) -> Int {
        // RFC 6716 section 3.4 [R1]: a packet has at least one byte. libopus would treat an empty one as a
        // loss and conceal it; a caller that means loss calls concealLoss.
        guard let data = packet.baseAddress, packet.count > 0 else { throw .opus(code: OPUS_INVALID_PACKET) }
        guard let output = pcm.baseAddress, pcm.count > 0 else { throw .bufferTooSmall }
        let capacity = Int32(truncatingIfNeeded: min(pcm.count, Self.maximumFrameSamples))
        let decoded = opus_decode(
            state, data.assumingMemoryBound(to: UInt8.self), Int32(clamping: packet.count), output, capacity, 0
        )
        return try AudioCodecError.check(decoded)
    }

    /// Rebuilds the lost frame before `nextPacket` from the low-rate copy that packet carries (in-band FEC,
    /// RFC 6716 section 2.1.7) and returns `frameSamples`.
    ///
    /// `frameSamples` is the lost frame's length at 8 kHz (a multiple of 20, at most 960). When the packet
    /// carries no FEC (CELT mode, or the encoder had it off) libopus conceals the loss instead, so the
    /// result is still a full frame. Afterwards decode `nextPacket` itself as usual.
    ///
    /// - Throws: `.invalidFrameSize`, `.bufferTooSmall` when `pcm` is shorter than `frameSamples`,
    ///   `.opus(code:)` for an empty or malformed packet.
    public func decodeFEC(
        from nextPacket: UnsafeRawBufferPointer, into pcm: UnsafeMutableBufferPointer<Int16>, frameSamples: Int
    ) throws(AudioCodecError) -> Int {
        let output = try Self.lossOutput(pcm, frameSamples: frameSamples)
        guard let data = nextPacket.baseAddress, nextPacket.count > 0 else {
            throw .opus(code: OPUS_INVALID_PACKET)
        }
        // opus_decode: with decode_fec=1, frame_size must be exactly the missing duration.
        let decoded = opus_decode(
            state, data.assumingMemoryBound(to: UInt8.self), Int32(clamping: nextPacket.count), output,
            Int32(truncatingIfNeeded: frameSamples), 1
        )
        return try AudioCodecError.check(decoded)
    }

    /// Packet loss concealment: synthesises `frameSamples` of audio continuing the last decoded signal
    /// (opus_decode with no data) and returns the count written.
    ///
    /// - Throws: `.invalidFrameSize` unless `frameSamples` is a multiple of 20 in 20...960,
    ///   `.bufferTooSmall` when `pcm` is shorter than `frameSamples`.
    public func concealLoss(
        into pcm: UnsafeMutableBufferPointer<Int16>, frameSamples: Int
    ) throws(AudioCodecError) -> Int {
        let output = try Self.lossOutput(pcm, frameSamples: frameSamples)
        let decoded = opus_decode(state, nil, 0, output, Int32(truncatingIfNeeded: frameSamples), 0)
        return try AudioCodecError.check(decoded)
    }

    /// The duration of the last decoded or concealed frame at 8 kHz (`OPUS_GET_LAST_PACKET_DURATION`);
    /// 0 if libopus refuses.
    public var lastPacketDurationSamples: Int {
        var value: Int32 = 0
        guard parley_opus_decoder_get_int(state, OPUS_GET_LAST_PACKET_DURATION_REQUEST, &value) == OPUS_OK else {
            return 0
        }
        return Int(value)
    }

    /// The number of samples `packet` decodes to at `sampleRate` (from its TOC byte and frame count,
    /// RFC 6716 section 3.1), or nil for an empty or malformed packet or a rate that is not a positive
    /// multiple of 400 Hz up to 48 kHz.
    public static func frameSamples(ofPacket packet: UnsafeRawBufferPointer, sampleRate: Int32 = 8000) -> Int? {
        guard sampleRate > 0, sampleRate <= 48000, sampleRate % 400 == 0 else { return nil }
        guard let data = packet.baseAddress, packet.count > 0 else { return nil }
        let samples = opus_packet_get_nb_samples(
            data.assumingMemoryBound(to: UInt8.self), Int32(clamping: packet.count), sampleRate
        )
        return samples > 0 ? Int(samples) : nil
    }

    /// Validates a concealment request and returns where to write.
    private static func lossOutput(
        _ pcm: UnsafeMutableBufferPointer<Int16>, frameSamples: Int
    ) throws(AudioCodecError) -> UnsafeMutablePointer<Int16> {
        guard frameSamples > 0, frameSamples <= maximumFrameSamples, frameSamples % lossGranule == 0 else {
            throw .invalidFrameSize
        }
        guard let output = pcm.baseAddress, pcm.count >= frameSamples else { throw .bufferTooSmall }
        return output
    }
}
