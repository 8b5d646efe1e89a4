/// One media section: an m= line and the lines under it. RFC 8866 section 5:
/// ```
/// media-description = media-field
///                     information-field
///                     *connection-field
///                     bandwidth-fields
///                     key-field
///                     attribute-fields
/// media-field = %s"m" "=" media SP port ["/" integer] SP proto 1*(SP fmt) CRLF
/// ```
public struct MediaDescription: Hashable, Sendable, SDPAttributeContainer {
    public var type: SDPMediaType
    /// 0 rejects or disables the stream (RFC 3264 section 6); 9 is the WebRTC placeholder (RFC 8839 section 4.2.4).
    public var port: UInt16
    /// The `/<number of ports>` suffix, when present.
    public var portCount: Int?
    /// Transport protocol, e.g. `RTP/AVP`, `UDP/TLS/RTP/SAVPF`, `UDP/DTLS/SCTP`; compared case-sensitively by peers.
    public var proto: String
    /// Media formats in preference order: RTP payload types for RTP protocols, otherwise protocol-specific.
    public var formats: [String]
    /// i=
    public var information: String?
    /// c= lines of this section (several only for layered multicast).
    public var connections: [SDPConnection]
    /// b= lines.
    public var bandwidths: [SDPBandwidth]
    /// k= (obsolete, RFC 8866 section 5.12), raw.
    public var encryptionKey: String?
    /// a= lines in order.
    public var attributes: [SDPAttribute]

    public init(
        type: SDPMediaType, port: UInt16, portCount: Int? = nil, proto: String, formats: [String] = [],
        information: String? = nil, connections: [SDPConnection] = [], bandwidths: [SDPBandwidth] = [],
        encryptionKey: String? = nil, attributes: [SDPAttribute] = []
    ) {
        self.type = type
        self.port = port
        self.portCount = portCount
        self.proto = proto
        self.formats = formats
        self.information = information
        self.connections = connections
        self.bandwidths = bandwidths
        self.encryptionKey = encryptionKey
        self.attributes = attributes
    }

    /// Parses the text after `m=`. A section without any format breaks the ABNF but is accepted: some devices send
    /// `m=video 0 RTP/AVP` to reject a stream.
    public init(parsingMediaLine text: some StringProtocol) throws(SDPParseError) {
        let fields = SDPText.fields(text)
        guard fields.count >= 3, !fields[0].isEmpty else {
            throw SDPParseError(.malformedMedia, reason: "m= needs <media> <port> <proto> <fmt>...")
        }
        let portField = fields[1]
        var count: Int?
        let portText: Substring
        if let slash = portField.firstIndex(of: "/") {
            portText = portField[..<slash]
            guard let number = SDPText.number(portField[portField.index(after: slash)...], as: UInt16.self),
                number > 0
            else { throw SDPParseError(.malformedMedia, reason: "m= port count is not a positive number") }
            count = Int(number)
        } else {
            portText = portField
        }
        guard let port = SDPText.number(portText, as: UInt16.self) else {
            throw SDPParseError(.malformedMedia, reason: "m= port is not 0-65535")
        }
        self.init(
            type: SDPMediaType(String(fields[0])), port: port, portCount: count, proto: String(fields[2]),
            formats: fields.dropFirst(3).map(String.init))
    }

    /// The text after `m=`.
    public var mediaLine: String {
        var line = "\(type.name) \(port)"
        if let portCount { line += "/\(portCount)" }
        line += " \(proto)"
        for format in formats { line += " \(format)" }
        return line
    }

    /// RTP over any profile (`RTP/AVP`, `RTP/SAVPF`, `UDP/TLS/RTP/SAVPF`...): formats are payload types.
    public var isRTP: Bool { proto.split(separator: "/").contains("RTP") }

    /// Media keyed by DTLS-SRTP (RFC 5764 section 8): the WebRTC profiles.
    public var usesDTLS: Bool { proto.split(separator: "/").contains { $0 == "TLS" || $0 == "DTLS" } }
}
