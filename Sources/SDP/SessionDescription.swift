/// A parsed session description (RFC 8866). Field order follows section 5:
/// ```
/// session-description = version-field origin-field session-name-field [information-field] [uri-field]
///                       *email-field *phone-field [connection-field] *bandwidth-field 1*time-description
///                       [zone-adjustments] [key-field] *attribute-field *media-description
/// ```
/// Parse with `SessionDescription(parsing:)` or `SDPParser`; write with `serialized()`.
public struct SessionDescription: Hashable, Sendable, SDPAttributeContainer {
    /// v= (always 0, RFC 8866 section 5.1).
    public var version: Int
    /// o=
    public var origin: SDPOrigin
    /// s= (`-` or a single space when there is no name, RFC 8866 section 5.3).
    public var sessionName: String
    /// i=
    public var information: String?
    /// u=
    public var uri: String?
    /// e= lines, raw.
    public var emails: [String]
    /// p= lines, raw.
    public var phones: [String]
    /// Session-level c=, the default for media sections without their own.
    public var connection: SDPConnection?
    /// b= lines.
    public var bandwidths: [SDPBandwidth]
    /// t= lines with their r= lines. Empty only when a peer omitted t= (accepted; see `SDPParser`).
    public var timings: [SDPTiming]
    /// z= text, raw.
    public var timeZones: String?
    /// k= (obsolete, RFC 8866 section 5.12), raw.
    public var encryptionKey: String?
    /// Session-level a= lines in order.
    public var attributes: [SDPAttribute]
    /// m= sections in order.
    public var media: [MediaDescription]

    public init(
        version: Int = 0, origin: SDPOrigin, sessionName: String = "-", information: String? = nil,
        uri: String? = nil, emails: [String] = [], phones: [String] = [], connection: SDPConnection? = nil,
        bandwidths: [SDPBandwidth] = [], timings: [SDPTiming] = [SDPTiming()], timeZones: String? = nil,
        encryptionKey: String? = nil, attributes: [SDPAttribute] = [], media: [MediaDescription] = []
    ) {
        self.version = version
        self.origin = origin
        self.sessionName = sessionName
        self.information = information
        self.uri = uri
        self.emails = emails
        self.phones = phones
        self.connection = connection
        self.bandwidths = bandwidths
        self.timings = timings
        self.timeZones = timeZones
        self.encryptionKey = encryptionKey
        self.attributes = attributes
        self.media = media
    }

    /// Parses with the default limits and rules of `SDPParser`.
    public init(parsing text: String, limits: SDPLimits = .default) throws(SDPParseError) {
        self = try SDPParser(limits: limits).parse(text)
    }

    public static func parse(_ text: String, limits: SDPLimits = .default) throws(SDPParseError) -> SessionDescription {
        try SDPParser(limits: limits).parse(text)
    }

    public static func parse(bytes: some Collection<UInt8>, limits: SDPLimits = .default) throws(SDPParseError)
        -> SessionDescription
    {
        try SDPParser(limits: limits).parse(bytes: bytes)
    }
}
