import SDP

/// One RTP format of an audio section as Parley uses it: a payload type bound to a codec it bridges.
public struct NegotiatedCodec: Sendable, Hashable {
    /// The RTP payload type, 0-127, as numbered by the description it came from.
    public var payloadType: UInt8
    public var kind: NegotiatedCodecKind
    /// RTP clock rate in Hz: 48000 for Opus, 8000 for G.711, the audio's rate for telephone-event.
    public var clockRate: Int
    /// Channel count from the rtpmap (1 when absent; 2 for Opus, RFC 7587 section 7).
    public var channels: Int
    /// The `a=fmtp` parameter string, e.g. `minptime=10;useinbandfec=1` or `0-16`.
    public var formatParameters: String?

    public init(
        payloadType: UInt8, kind: NegotiatedCodecKind, clockRate: Int, channels: Int = 1,
        formatParameters: String? = nil
    ) {
        self.payloadType = payloadType
        self.kind = kind
        self.clockRate = clockRate
        self.channels = channels
        self.formatParameters = formatParameters
    }

    /// The codec of one format of an m= line (explicit rtpmap or RFC 3551 static payload type), or nil when it is
    /// not a payload type or not a codec Parley bridges.
    public init?(format: MediaFormat) {
        guard let payloadType = format.payloadType, let rtpMap = format.rtpMap,
            let kind = NegotiatedCodecKind(rtpMap: rtpMap)
        else { return nil }
        let parameters = format.parameters?.parameters
        self.init(
            payloadType: payloadType, kind: kind, clockRate: Int(rtpMap.clockRate), channels: rtpMap.channelCount,
            formatParameters: parameters?.isEmpty == false ? parameters : nil)
    }

    /// The `a=rtpmap` line. RFC 7587 section 7: Opus always says `/2`; other codecs omit a channel count of one.
    public var rtpMap: RTPMap {
        let written: Int? = kind == .opus ? 2 : (channels > 1 ? channels : nil)
        return RTPMap(
            payloadType: payloadType, encodingName: kind.encodingName, clockRate: UInt32(clamping: clockRate),
            channels: written)
    }

    /// The `a=fmtp` line, when there are parameters.
    public var fmtp: FormatParameters? {
        guard let formatParameters, !formatParameters.isEmpty else { return nil }
        return FormatParameters(format: String(payloadType), parameters: formatParameters)
    }

    /// Same codec and clock rate, whatever the payload type numbers.
    public func isSameFormat(as other: NegotiatedCodec) -> Bool {
        kind == other.kind && clockRate == other.clockRate
    }

    /// This codec as it must appear in an answer to `offered`: RFC 3264 section 6.1, the answerer uses the
    /// offerer's payload type number for a codec. Parameters are this codec's, or the offer's when it has none.
    /// Unchanged when the offer lacks the codec.
    public func answering(_ offered: [NegotiatedCodec]) -> NegotiatedCodec {
        guard let match = offered.first(where: { $0.isSameFormat(as: self) }) else { return self }
        var answer = self
        answer.payloadType = match.payloadType
        answer.channels = match.channels
        if answer.formatParameters == nil { answer.formatParameters = match.formatParameters }
        return answer
    }
}
