/// credentials / challenge = auth-scheme LWS auth-param *(COMMA auth-param);
/// auth-param = auth-param-name EQUAL ( token / quoted-string ) (RFC 3261 section 25.1, RFC 7616).
/// Any scheme parses (RFC 4475 section 3.3.7); `DigestChallenge` and `DigestCredentials` read Digest.
public struct AuthHeaderValue: Hashable, Sendable, CustomStringConvertible, SIPHeaderValue {
    public var scheme: String
    /// Values as written: quoted values keep their quotes.
    public var parameters: [GenericParameter]

    public init(scheme: String, parameters: [GenericParameter]) {
        self.scheme = scheme
        self.parameters = parameters
    }

    public var isDigest: Bool { scheme.lowercased() == "digest" }

    /// A parameter's value with quotes removed.
    public func value(_ name: String) -> String? {
        parameters.first(named: name)?.unquotedValue
    }

    public var headerValue: String {
        scheme + " " + parameters.map(\.description).joined(separator: ", ")
    }

    public var description: String { headerValue }

    public init(parsingHeaderValue bytes: UnsafeRawBufferPointer) throws(SIPParseError) {
        var scanner = ByteScanner(bytes)
        guard let scheme = scanner.readToken() else {
            throw SIPParseError.badHeader("authorization", "no scheme")
        }
        var parameters: [GenericParameter] = []
        if !scanner.read(while: SIPCharacterClass.isWhitespace).isEmpty, !scanner.isAtEnd {
            repeat {
                guard let name = scanner.readToken(), scanner.consumeSeparator(UInt8(ascii: "=")) else {
                    throw SIPParseError.badHeader("authorization", "bad auth-param")
                }
                let value: Range<Int>?
                if scanner.peek() == UInt8(ascii: "\"") {
                    value = scanner.readQuotedString()
                } else {
                    value = scanner.readToken()
                }
                guard let value else { throw SIPParseError.badHeader("authorization", "bad auth-param value") }
                parameters.append(GenericParameter(name: scanner.string(name), value: scanner.string(value)))
            } while scanner.consumeSeparator(UInt8(ascii: ","))
        }
        scanner.skipWhitespace()
        guard scanner.isAtEnd else { throw SIPParseError.badHeader("authorization", "unexpected characters") }
        self.scheme = scanner.string(scheme)
        self.parameters = parameters
    }
}
