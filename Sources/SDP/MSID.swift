/// `a=msid`: the media stream and track a section belongs to. RFC 8830 section 2:
/// ```
/// msid-value = msid-id [ SP msid-appdata ]
/// msid-id = 1*64token-char
/// msid-appdata = 1*64token-char
/// ```
/// Browsers send `a=msid:<stream id> <track id>`; `-` as stream id means no stream.
public struct MSID: SDPAttributeConvertible {
    public static let attributeName = "msid"

    public var streamID: String
    public var appData: String?

    public init(streamID: String, appData: String? = nil) {
        self.streamID = streamID
        self.appData = appData
    }

    public init(attributeValue: String) throws(SDPParseError) {
        let fields = SDPText.fields(attributeValue)
        // RFC 8830's 64-character bound is not enforced: a long id harms nothing and some stacks exceed it.
        guard fields.count == 1 || fields.count == 2, fields.allSatisfy({ SDPText.isToken($0) }) else {
            throw .attribute("msid", "expected <stream id> [<track id>]")
        }
        self.init(streamID: String(fields[0]), appData: fields.count == 2 ? String(fields[1]) : nil)
    }

    public var attributeValue: String {
        if let appData { "\(streamID) \(appData)" } else { streamID }
    }
}
