import SDP

/// The audio formats Parley bridges: Opus on the web leg, G.711 on both, and RFC 4733 DTMF events.
public enum NegotiatedCodecKind: Sendable, Hashable, CaseIterable {
    case opus
    case pcmu
    case pcma
    case telephoneEvent

    /// The kind an rtpmap describes, or nil for a format Parley does not bridge (G722, red, CN, speex...).
    ///
    /// RFC 7587 section 7: Opus is always `opus/48000/2` on the wire whatever it carries; the channel count is not
    /// checked so a peer writing `opus/48000` still works. RFC 3551 section 4.5.14: PCMU and PCMA are 8000 Hz.
    /// RFC 4733 section 7.1.1: telephone-event takes the clock rate of the audio it goes with.
    public init?(rtpMap: RTPMap) {
        if rtpMap.hasEncoding("opus") {
            guard rtpMap.clockRate == 48_000 else { return nil }
            self = .opus
        } else if rtpMap.hasEncoding("PCMU") {
            guard rtpMap.clockRate == 8_000, rtpMap.channelCount == 1 else { return nil }
            self = .pcmu
        } else if rtpMap.hasEncoding("PCMA") {
            guard rtpMap.clockRate == 8_000, rtpMap.channelCount == 1 else { return nil }
            self = .pcma
        } else if rtpMap.hasEncoding("telephone-event") {
            self = .telephoneEvent
        } else {
            return nil
        }
    }

    /// The encoding name as written in `a=rtpmap`.
    public var encodingName: String {
        switch self {
        case .opus: "opus"
        case .pcmu: "PCMU"
        case .pcma: "PCMA"
        case .telephoneEvent: "telephone-event"
        }
    }

    /// A codec carrying sound, as opposed to DTMF events.
    public var isAudio: Bool { self != .telephoneEvent }

    /// PCMU or PCMA.
    public var isG711: Bool { self == .pcmu || self == .pcma }
}
