/// The audio codecs the bridge speaks: G.711 on the device leg, Opus (and PCMU) on the web leg.
public enum AudioCodecKind: Sendable, Hashable, CaseIterable {
    /// G.711 mu-law.
    case pcmu
    /// G.711 A-law.
    case pcma
    /// Opus (RFC 7587).
    case opus

    /// The RTP timestamp rate. RFC 3551 section 4.5.14: G.711 counts at 8000 Hz. RFC 7587 section 4.1:
    /// Opus always counts at 48000 Hz, whatever rate the encoder or decoder runs at.
    public var clockRate: UInt32 {
        switch self {
        case .pcmu, .pcma: 8000
        case .opus: 48000
        }
    }

    /// RFC 3551 section 6, table 4: PCMU is 0 and PCMA is 8; Opus is always dynamic.
    public var staticPayloadType: UInt8? {
        switch self {
        case .pcmu: 0
        case .pcma: 8
        case .opus: nil
        }
    }

    /// The rtpmap encoding name (RFC 3551 section 6; RFC 7587 section 7 for "opus").
    public var encodingName: String {
        switch self {
        case .pcmu: "PCMU"
        case .pcma: "PCMA"
        case .opus: "opus"
        }
    }

    /// The rtpmap channel count to write. RFC 7587 section 7: the Opus rtpmap always says 2 channels,
    /// even for mono streams; G.711 omits it (one channel).
    public var rtpMapChannels: Int? {
        switch self {
        case .pcmu, .pcma: nil
        case .opus: 2
        }
    }
}
