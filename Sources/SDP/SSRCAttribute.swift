/// `a=ssrc`: a source-level attribute. RFC 5576 section 4.1:
/// ```
/// ssrc-attr = "ssrc:" ssrc-id SP attribute    ; attribute as in RFC 8866: name[:value]
/// ssrc-id   = integer                         ; 0 .. 2**32 - 1
/// ```
/// The value keeps any further colons (`cname:sip:alice@example.org`).
public struct SSRCAttribute: SDPAttributeConvertible {
    public static let attributeName = "ssrc"

    public var ssrc: UInt32
    /// e.g. `cname`, `msid`, `mslabel`, `label`.
    public var name: String
    public var value: String?

    public init(ssrc: UInt32, name: String, value: String? = nil) {
        self.ssrc = ssrc
        self.name = name
        self.value = value
    }

    public init(attributeValue: String) throws(SDPParseError) {
        let text = SDPText.trimmed(attributeValue)
        let space = text.firstIndex(where: { $0 == " " || $0 == "\t" }) ?? text.endIndex
        guard let ssrc = SDPText.number(text[..<space], as: UInt32.self) else {
            throw .attribute("ssrc", "source id is not a 32-bit number")
        }
        let attribute = SDPText.trimmed(text[space...])
        let colon = attribute.firstIndex(of: ":")
        let name = attribute[..<(colon ?? attribute.endIndex)]
        guard !name.isEmpty else { throw .attribute("ssrc", "source attribute has no name") }
        self.init(ssrc: ssrc, name: String(name), value: colon.map { String(attribute[attribute.index(after: $0)...]) })
    }

    public var attributeValue: String {
        if let value { "\(ssrc) \(name):\(value)" } else { "\(ssrc) \(name)" }
    }
}
