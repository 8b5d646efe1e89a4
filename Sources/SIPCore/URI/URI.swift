/// Request-URI and addr-spec: SIP-URI / SIPS-URI / absoluteURI (RFC 3261 section 25.1).
/// A scheme Parley does not route is still parsed (RFC 4475 section 3.3.2); the element answers 416.
public enum URI: Hashable, Sendable, CustomStringConvertible {
    case sip(SIPURI)
    case tel(TelURI)
    case other(scheme: String, rest: String)

    public var description: String {
        switch self {
        case .sip(let uri): return uri.description
        case .tel(let uri): return uri.description
        case .other(let scheme, let rest): return "\(scheme):\(rest)"
        }
    }

    public var sipURI: SIPURI? {
        if case .sip(let uri) = self { return uri }
        return nil
    }

    public var scheme: String {
        switch self {
        case .sip(let uri): return uri.scheme
        case .tel: return "tel"
        case .other(let scheme, _): return scheme.lowercased()
        }
    }

    public init(parsing text: String) throws(SIPParseError) {
        self = try text.withSIPBytes { bytes throws(SIPParseError) in
            try URI.parse(bytes, range: 0..<bytes.count)
        }
    }

    /// Parses exactly `range` of `bytes` as one URI.
    static func parse(_ bytes: UnsafeRawBufferPointer, range: Range<Int>) throws(SIPParseError) -> URI {
        var scanner = ByteScanner(bytes, range: range)
        // scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )
        guard let first = scanner.peek(), SIPCharacterClass.isAlpha(first) else {
            throw SIPParseError(.malformedURI, detail: "URI without a scheme")
        }
        let scheme = scanner.read {
            SIPCharacterClass.isAlphanumeric($0) || $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "-")
                || $0 == UInt8(ascii: ".")
        }
        guard scanner.consume(UInt8(ascii: ":")) else {
            throw SIPParseError(.malformedURI, detail: "URI without a scheme")
        }
        if scanner.matches(scheme, caseInsensitive: "sip") {
            return .sip(try SIPURI.read(from: &scanner, isSecure: false))
        }
        if scanner.matches(scheme, caseInsensitive: "sips") {
            return .sip(try SIPURI.read(from: &scanner, isSecure: true))
        }
        if scanner.matches(scheme, caseInsensitive: "tel") {
            return .tel(try TelURI.read(from: &scanner))
        }
        // absoluteURI = scheme ":" ( hier-part / opaque-part ), both 1* of RFC 2396 uric.
        let rest = scanner.read(while: SIPCharacterClass.isURIChar)
        guard !rest.isEmpty, scanner.isAtEnd else {
            throw SIPParseError(.malformedURI, detail: "bad \(scanner.string(scheme)) URI")
        }
        return .other(scheme: scanner.string(scheme), rest: scanner.string(rest))
    }
}
