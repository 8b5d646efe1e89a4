/// A b= line. RFC 8866 section 5.8:
/// ```
/// bandwidth-fields = *(%s"b" "=" bwtype ":" bandwidth CRLF)
/// bwtype           = token
/// bandwidth        = 1*DIGIT
/// ```
/// `CT` and `AS` are in kbit/s; `TIAS` (RFC 3890) is in bit/s.
public struct SDPBandwidth: Hashable, Sendable, CustomStringConvertible {
    public var type: String
    public var value: UInt64

    public init(type: String, value: UInt64) {
        self.type = type
        self.value = value
    }

    public init(parsing text: some StringProtocol) throws(SDPParseError) {
        let text = Substring(text)
        guard let colon = text.firstIndex(of: ":"), SDPText.isToken(text[..<colon]),
            let value = SDPText.number(text[text.index(after: colon)...], as: UInt64.self)
        else { throw SDPParseError(.malformedBandwidth, reason: "b= must be <type>:<digits>") }
        self.init(type: String(text[..<colon]), value: value)
    }

    /// The text after `b=`.
    public var description: String { "\(type):\(value)" }
}
