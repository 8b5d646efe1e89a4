import COpus

/// Why a codec call failed. G.711 never fails; these come from the Opus side.
public enum AudioCodecError: Error, Sendable, Equatable {
    /// libopus returned this negative status (`OPUS_BAD_ARG` -1, `OPUS_INTERNAL_ERROR` -3,
    /// `OPUS_INVALID_PACKET` -4, `OPUS_ALLOC_FAIL` -7...; see opus_defines.h).
    case opus(code: Int32)
    /// The PCM frame is not an Opus frame duration (RFC 6716 section 2.1.4: 2.5, 5, 10, 20, 40 or 60 ms).
    case invalidFrameSize
    /// The output buffer cannot hold the packet or the decoded frame.
    case bufferTooSmall

    /// Maps a libopus return value: non-negative counts pass through, errors become typed errors.
    static func check(_ status: Int32) throws(AudioCodecError) -> Int {
        if status >= 0 { return Int(status) }
        if status == OPUS_BUFFER_TOO_SMALL { throw .bufferTooSmall }
        throw .opus(code: status)
    }
}

extension AudioCodecError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .opus(let code): "opus error \(code) (\(String(cString: opus_strerror(code))))"
        case .invalidFrameSize: "PCM frame is not 2.5, 5, 10, 20, 40 or 60 ms"
        case .bufferTooSmall: "output buffer too small"
        }
    }
}
