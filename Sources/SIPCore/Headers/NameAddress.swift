/// ( name-addr / addr-spec ) *( SEMI param ): the value of From, To, Contact, Route, Record-Route,
/// Reply-To and friends (RFC 3261 sections 20.10, 20.20, 20.39).
///
/// name-addr = [ display-name ] LAQUOT addr-spec RAQUOT; display-name = *(token LWS) / quoted-string.
/// Without angle brackets, semicolon parameters belong to the header, not the URI (section 20.10).
public struct NameAddress: Hashable, Sendable, CustomStringConvertible, SIPHeaderValue {
    /// The display name as text: quotes and quoted-pairs resolved.
    public var displayName: String?
    public var uri: URI
    public var parameters: [GenericParameter]

    public init(displayName: String? = nil, uri: URI, parameters: [GenericParameter] = []) {
        self.displayName = displayName
        self.uri = uri
        self.parameters = parameters
    }

    public var tag: Tag? {
        get { parameters.first(named: "tag")?.value.map(Tag.init) }
        set { parameters.set("tag", to: newValue?.value) }
    }

    /// Always written as name-addr, which is never ambiguous.
    public var headerValue: String {
        var text = ""
        if let displayName, !displayName.isEmpty {
            text += QuotedString.quote(displayName) + " "
        }
        text += "<\(uri)>"
        text += parameters.serialized
        return text
    }

    public var description: String { headerValue }

    public init(parsingHeaderValue bytes: UnsafeRawBufferPointer) throws(SIPParseError) {
        var scanner = ByteScanner(bytes)
        self = try Self.read(from: &scanner, header: "address")
        scanner.skipWhitespace()
        guard scanner.isAtEnd else { throw SIPParseError.badHeader("address", "unexpected characters") }
    }

    static func read(from scanner: inout ByteScanner, header: String) throws(SIPParseError) -> NameAddress {
        scanner.skipWhitespace()
        var displayName: String?
        let start = scanner.index
        if scanner.peek() == UInt8(ascii: "\"") {
            guard let quoted = scanner.readQuotedString() else {
                throw SIPParseError.badHeader(header, "unterminated quoted display name")
            }
            displayName = QuotedString.unquote(scanner.string(quoted))
            scanner.skipWhitespace()
            guard scanner.peek() == UInt8(ascii: "<") else {
                throw SIPParseError.badHeader(header, "display name without <URI>")
            }
        } else if scanner.peek() != UInt8(ascii: "<") {
            // *(token LWS) then "<", or else this is an addr-spec. RFC 4475 section 3.1.1.6: LWS before "<"
            // may be missing.
            var lastTokenEnd = start
            while scanner.readToken() != nil {
                lastTokenEnd = scanner.index
                scanner.skipWhitespace()
            }
            if scanner.peek() == UInt8(ascii: "<") {
                displayName = scanner.string(start..<lastTokenEnd)
            } else {
                scanner.move(to: start)
            }
        }

        let uri: URI
        if scanner.consume(UInt8(ascii: "<")) {
            let uriRange = scanner.read { $0 != UInt8(ascii: ">") }
            guard scanner.consume(UInt8(ascii: ">")) else {
                throw SIPParseError.badHeader(header, "missing >")
            }
            do {
                uri = try URI.parse(scanner.bytes, range: uriRange)
            } catch {
                throw SIPParseError.badHeader(header, error.detail)
            }
        } else {
            // addr-spec: the URI cannot hold ";", "," or whitespace here.
            let uriRange = scanner.read {
                $0 != UInt8(ascii: ";") && $0 != UInt8(ascii: ",") && !SIPCharacterClass.isWhitespace($0)
            }
            do {
                uri = try URI.parse(scanner.bytes, range: uriRange)
            } catch {
                throw SIPParseError.badHeader(header, error.detail)
            }
        }
        let parameters = try GenericParameter.readList(from: &scanner, header: header)
        return NameAddress(displayName: displayName, uri: uri, parameters: parameters)
    }
}
