extension GenericParameter {
    /// *( SEMI generic-param ); generic-param = token [ EQUAL gen-value ];
    /// gen-value = token / host / quoted-string (RFC 3261 section 25.1). Stops before anything else.
    static func readList(from scanner: inout ByteScanner, header: String) throws(SIPParseError)
        -> [GenericParameter]
    {
        var parameters: [GenericParameter] = []
        while scanner.consumeSeparator(UInt8(ascii: ";")) {
            guard let name = scanner.readToken() else {
                throw SIPParseError.badHeader(header, "empty parameter")
            }
            var value: String?
            if scanner.consumeSeparator(UInt8(ascii: "=")) {
                if scanner.peek() == UInt8(ascii: "\"") {
                    guard let quoted = scanner.readQuotedString() else {
                        throw SIPParseError.badHeader(header, "unterminated quoted string")
                    }
                    value = scanner.string(quoted)
                } else {
                    // token, or host: IPv6 references and bare IPv6 `received` values (RFC 5118 section 4.5).
                    let range = scanner.read {
                        SIPCharacterClass.isTokenChar($0) || $0 == UInt8(ascii: "[") || $0 == UInt8(ascii: "]")
                            || $0 == UInt8(ascii: ":")
                    }
                    guard !range.isEmpty else { throw SIPParseError.badHeader(header, "empty parameter value") }
                    value = scanner.string(range)
                }
            }
            parameters.append(GenericParameter(name: scanner.string(name), value: value))
        }
        return parameters
    }
}
