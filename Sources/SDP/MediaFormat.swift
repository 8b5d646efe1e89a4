/// One format of a media section with what describes it: the rtpmap (explicit, or RFC 3551's static assignment)
/// and the fmtp, if any.
public struct MediaFormat: Hashable, Sendable {
    /// The format as written on the m= line.
    public var format: String
    public var rtpMap: RTPMap?
    public var parameters: FormatParameters?

    public init(format: String, rtpMap: RTPMap? = nil, parameters: FormatParameters? = nil) {
        self.format = format
        self.rtpMap = rtpMap
        self.parameters = parameters
    }

    /// The RTP payload type, when the format is one.
    public var payloadType: UInt8? { SDPText.number(format, as: UInt8.self).flatMap { $0 <= 127 ? $0 : nil } }
}
