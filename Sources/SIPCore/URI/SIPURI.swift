/// SIP-URI / SIPS-URI (RFC 3261 section 19.1 and 25.1). Components are kept as written (escaped), so a
/// URI forwarded unchanged keeps its bytes; `unescapedUser` gives the user as a value.
public struct SIPURI: Hashable, Sendable, CustomStringConvertible {
    public var isSecure: Bool
    public var user: String?
    public var password: String?
    public var host: SIPHost
    public var port: UInt16?
    public var parameters: [GenericParameter]
    public var headers: [GenericParameter]

    public init(
        isSecure: Bool = false,
        user: String? = nil,
        password: String? = nil,
        host: SIPHost,
        port: UInt16? = nil,
        parameters: [GenericParameter] = [],
        headers: [GenericParameter] = []
    ) {
        self.isSecure = isSecure
        self.user = user
        self.password = password
        self.host = host
        self.port = port
        self.parameters = parameters
        self.headers = headers
    }

    public var scheme: String { isSecure ? "sips" : "sip" }

    /// The user with escapes resolved once (RFC 3261 section 19.1.4 compares unescaped).
    public var unescapedUser: String? { user.map(PercentEncoding.unescape) }

    public var transport: String? { parameters.first(named: "transport")?.value?.lowercased() }
    public var isLooseRouting: Bool { parameters.contains(named: "lr") }
    public var maddr: String? { parameters.first(named: "maddr")?.value }

    public var description: String {
        var text = isSecure ? "sips:" : "sip:"
        if let user {
            text += user
            if let password { text += ":" + password }
            text += "@"
        }
        text += host.description
        if let port { text += ":\(port)" }
        text += parameters.serialized
        if !headers.isEmpty {
            text += "?"
            text += headers.map { "\($0.name)=\($0.value ?? "")" }.joined(separator: "&")
        }
        return text
    }

    public init(parsing text: String) throws(SIPParseError) {
        guard case .sip(let uri) = try URI(parsing: text) else {
            throw SIPParseError(.malformedURI, detail: "not a SIP URI")
        }
        self = uri
    }

    /// Parses what follows `sip:` or `sips:` up to the end of the scanner's range.
    /// SIP-URI = "sip:" [ userinfo ] hostport uri-parameters [ headers ]
    static func read(from scanner: inout ByteScanner, isSecure: Bool) throws(SIPParseError) -> SIPURI {
        let bad = SIPParseError(.malformedURI, detail: "bad SIP URI")
        var user: String?
        var password: String?

        // userinfo = ( user / telephone-subscriber ) [ ":" password ] "@". The user part may hold ";", "?"
        // and "/" (RFC 4475 section 3.1.1.9), so look for the "@" before deciding where the host starts.
        let userinfoStart = scanner.index
        let userinfo = scanner.read(while: SIPCharacterClass.isUserinfoChar)
        if scanner.consume(UInt8(ascii: "@")) {
            guard !userinfo.isEmpty, PercentEncoding.hasValidEscapes(scanner.slice(userinfo)) else { throw bad }
            let bytes = scanner.slice(userinfo)
            if let colon = bytes.firstIndex(of: UInt8(ascii: ":")) {
                let userRange = userinfo.lowerBound..<(userinfo.lowerBound + colon)
                guard !userRange.isEmpty else { throw bad }
                user = scanner.string(userRange)
                password = scanner.string((userinfo.lowerBound + colon + 1)..<userinfo.upperBound)
            } else {
                user = scanner.string(userinfo)
            }
        } else {
            scanner.move(to: userinfoStart)
        }

        guard let host = SIPHost.read(from: &scanner) else { throw bad }
        var port: UInt16?
        if scanner.consume(UInt8(ascii: ":")) {
            guard let number = scanner.readNumber(maximum: 65_535) else { throw bad }
            port = UInt16(number)
        }

        // uri-parameters = *( ";" uri-parameter ); uri-parameter = pname [ "=" pvalue ]
        var parameters: [GenericParameter] = []
        while scanner.consume(UInt8(ascii: ";")) {
            let name = scanner.read(while: SIPCharacterClass.isParamChar)
            guard !name.isEmpty, PercentEncoding.hasValidEscapes(scanner.slice(name)) else { throw bad }
            var value: String?
            if scanner.consume(UInt8(ascii: "=")) {
                let valueRange = scanner.read(while: SIPCharacterClass.isParamChar)
                guard !valueRange.isEmpty, PercentEncoding.hasValidEscapes(scanner.slice(valueRange)) else {
                    throw bad
                }
                value = scanner.string(valueRange)
            }
            parameters.append(GenericParameter(name: scanner.string(name), value: value))
        }

        // headers = "?" header *( "&" header ); header = hname "=" hvalue
        var headers: [GenericParameter] = []
        if scanner.consume(UInt8(ascii: "?")) {
            repeat {
                let name = scanner.read(while: SIPCharacterClass.isURIHeaderChar)
                guard !name.isEmpty, scanner.consume(UInt8(ascii: "=")) else { throw bad }
                let value = scanner.read(while: SIPCharacterClass.isURIHeaderChar)
                guard PercentEncoding.hasValidEscapes(scanner.slice(name)),
                    PercentEncoding.hasValidEscapes(scanner.slice(value))
                else { throw bad }
                headers.append(GenericParameter(name: scanner.string(name), value: scanner.string(value)))
            } while scanner.consume(UInt8(ascii: "&"))
        }
        guard scanner.isAtEnd else { throw bad }
        return SIPURI(
            isSecure: isSecure, user: user, password: password, host: host, port: port,
            parameters: parameters, headers: headers)
    }
}
