/// `a=group`: media sections grouped under a semantics. RFC 5888 section 5:
/// ```
/// group-attribute = "a=group:" semantics *(SP identification-tag)
/// semantics       = "LS" / "FID" / semantics-extension
/// ```
/// `BUNDLE` (RFC 9143 section 7) puts the listed mids on one transport; the first mid is the offerer's tag.
public struct SDPGroup: SDPAttributeConvertible {
    public static let attributeName = "group"

    public var semantics: String
    public var mids: [String]

    public init(semantics: String, mids: [String]) {
        self.semantics = semantics
        self.mids = mids
    }

    public static func bundle(_ mids: [String]) -> SDPGroup { SDPGroup(semantics: "BUNDLE", mids: mids) }

    public init(attributeValue: String) throws(SDPParseError) {
        let fields = SDPText.fields(attributeValue)
        guard let semantics = fields.first, SDPText.isToken(semantics), fields.dropFirst().allSatisfy(SDPText.isToken)
        else { throw .attribute("group", "expected <semantics> *(SP <mid>)") }
        self.init(semantics: String(semantics), mids: fields.dropFirst().map(String.init))
    }

    public var attributeValue: String { ([semantics] + mids).joined(separator: " ") }

    public var isBundle: Bool { semantics == "BUNDLE" }
}
