import COpus

/// Opus encoder for the bridge's web leg: 8 kHz mono PCM (decoded G.711) in, one Opus packet per frame out.
///
/// The encoder runs at 8 kHz so no resampler sits between G.711 and Opus; it then codes narrowband SILK.
/// RFC 7587 section 4.1: the RTP timestamp still counts at 48 kHz (6 ticks per 8 kHz sample), which is
/// the caller's business. Not `Sendable`: one owner (the call's media session) uses it.
public final class OpusEncoder {
    /// The input rate: the device leg's G.711 rate.
    public static let sampleRate: Int32 = 8000

    /// The settings the encoder was created with.
    public let settings: OpusEncoderSettings
    private let state: OpaquePointer

    /// Creates a mono VoIP encoder (`OPUS_APPLICATION_VOIP`, `OPUS_SIGNAL_VOICE`) at 8 kHz.
    ///
    /// - Throws: `.opus(code:)` when libopus cannot allocate the state or rejects a setting (for example a
    ///   complexity outside 0-10: `OPUS_BAD_ARG`).
    public init(settings: OpusEncoderSettings = .init()) throws(AudioCodecError) {
        var status: Int32 = OPUS_OK
        guard let created = opus_encoder_create(OpusEncoder.sampleRate, 1, OPUS_APPLICATION_VOIP, &status) else {
            throw .opus(code: status == OPUS_OK ? OPUS_ALLOC_FAIL : status)
        }
        guard status == OPUS_OK else {
            opus_encoder_destroy(created)
            throw .opus(code: status)
        }
        let configured = OpusEncoder.configure(created, with: settings)
        guard configured == OPUS_OK else {
            opus_encoder_destroy(created)
            throw .opus(code: configured)
        }
        self.state = created
        self.settings = settings
    }

    deinit {
        opus_encoder_destroy(state)
    }

    /// Encodes one frame of 8 kHz mono PCM into `output` and returns the packet length in bytes.
    ///
    /// The frame must be 2.5, 5, 10, 20, 40 or 60 ms: 20, 40, 80, 160, 320 or 480 samples (RFC 6716 section
    /// 2.1.4). With `dtx` on, a result of 1 or 2 bytes means silence that need not be sent. 1275 bytes of
    /// output hold any single-frame packet (RFC 6716 section 3.2.1).
    ///
    /// - Throws: `.invalidFrameSize`, `.bufferTooSmall` (empty output, or libopus's `OPUS_BUFFER_TOO_SMALL`),
    ///   `.opus(code:)` for any other libopus failure.
    public func encode(
        _ pcm: UnsafeBufferPointer<Int16>, into output: UnsafeMutableRawBufferPointer
    ) throws(AudioCodecError) -> Int {
        switch pcm.count {
        case 20, 40, 80, 160, 320, 480: break
        default: throw .invalidFrameSize
        }
        guard let input = pcm.baseAddress else { throw .invalidFrameSize }
        guard let packet = output.baseAddress, output.count > 0 else { throw .bufferTooSmall }
        let written = opus_encode(
            state, input, Int32(truncatingIfNeeded: pcm.count), packet.assumingMemoryBound(to: UInt8.self),
            Int32(clamping: output.count)
        )
        return try AudioCodecError.check(written)
    }

    /// Samples of algorithmic delay the encoder adds (`OPUS_GET_LOOKAHEAD`), at 8 kHz; 0 if libopus refuses.
    public var lookaheadSamples: Int {
        var value: Int32 = 0
        guard parley_opus_encoder_get_int(state, OPUS_GET_LOOKAHEAD_REQUEST, &value) == OPUS_OK else { return 0 }
        return Int(value)
    }

    /// Applies the settings through the typed ctl wrapper (opus_encoder_ctl is variadic, so Swift cannot
    /// call it). Returns the first failing status, or `OPUS_OK`.
    private static func configure(_ state: OpaquePointer, with settings: OpusEncoderSettings) -> Int32 {
        let requests: [(request: Int32, value: Int32)] = [
            // The input is telephone speech: bias the mode decision towards SILK, which carries the FEC.
            (OPUS_SET_SIGNAL_REQUEST, OPUS_SIGNAL_VOICE),
            (OPUS_SET_COMPLEXITY_REQUEST, settings.complexity),
            (OPUS_SET_BITRATE_REQUEST, settings.bitrate),
            (OPUS_SET_INBAND_FEC_REQUEST, settings.inbandFEC ? 1 : 0),
            (OPUS_SET_PACKET_LOSS_PERC_REQUEST, settings.expectedPacketLossPercent),
            (OPUS_SET_DTX_REQUEST, settings.dtx ? 1 : 0),
        ]
        for (request, value) in requests {
            let status = parley_opus_encoder_set_int(state, request, value)
            if status != OPUS_OK { return status }
        }
        return OPUS_OK
    }
}
