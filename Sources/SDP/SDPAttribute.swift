/// One a= line, kept exactly as received so that unknown attributes and odd spacing survive a round trip.
///
/// RFC 8866 section 5.13:
/// ```
/// attribute-fields =  *(%s"a" "=" attribute CRLF)
/// attribute        =  (attribute-name ":" attribute-value) / attribute-name
/// ```
/// `a=rtcp-mux` is a property attribute (`value == nil`); `a=foo:` has the empty value `""`.
public struct SDPAttribute: Hashable, Sendable, CustomStringConvertible {
    public var name: String
    public var value: String?

    public init(name: String, value: String? = nil) {
        self.name = name
        self.value = value
    }

    /// Splits the text after `a=` at the first colon; the value is everything after it, colons included
    /// (`a=ssrc:1 cname:sip:alice@example.org`).
    public init(parsing text: some StringProtocol) throws(SDPParseError) {
        let text = Substring(text)
        if let colon = text.firstIndex(of: ":") {
            name = String(text[..<colon])
            value = String(text[text.index(after: colon)...])
        } else {
            name = String(text)
            value = nil
        }
        // The name is matched exactly by the typed views; only an empty name makes the line meaningless. Names that
        // break the token rule are kept opaque rather than failing a whole call.
        guard !name.isEmpty else {
            throw SDPParseError(.malformedAttribute(name: ""), reason: "attribute without a name")
        }
    }

    /// The text after `a=`.
    public var description: String {
        if let value { "\(name):\(value)" } else { name }
    }
}
