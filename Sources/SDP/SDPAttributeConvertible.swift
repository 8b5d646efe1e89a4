/// An attribute with a typed view: parses from the text after `name:` and renders back to it.
public protocol SDPAttributeConvertible: Hashable, Sendable {
    /// The attribute name, e.g. `rtpmap`.
    static var attributeName: String { get }
    /// Parses the attribute value (the text after the first colon).
    init(attributeValue: String) throws(SDPParseError)
    /// The attribute value in its canonical form.
    var attributeValue: String { get }
}

extension SDPAttributeConvertible {
    /// The a= line for this value.
    public var attribute: SDPAttribute { SDPAttribute(name: Self.attributeName, value: attributeValue) }
}
