/// via-parm = sent-protocol LWS sent-by *( SEMI via-params ) (RFC 3261 section 20.42).
public struct Via: Hashable, Sendable, CustomStringConvertible, SIPHeaderValue {
    /// protocol-name SLASH protocol-version SLASH transport, e.g. SIP/2.0/UDP; transport is upper case
    /// as written, and unknown transports are kept (RFC 4475 section 3.1.1.10).
    public var protocolName: String
    public var protocolVersion: String
    public var transport: String
    public var host: SIPHost
    public var port: UInt16?
    public var parameters: [GenericParameter]

    public init(
        transport: String, host: SIPHost, port: UInt16? = nil, parameters: [GenericParameter] = [],
        protocolName: String = "SIP", protocolVersion: String = "2.0"
    ) {
        self.protocolName = protocolName
        self.protocolVersion = protocolVersion
        self.transport = transport
        self.host = host
        self.port = port
        self.parameters = parameters
    }

    public var branch: Branch? {
        get { parameters.first(named: "branch")?.value.map(Branch.init) }
        set { parameters.set("branch", to: newValue?.value) }
    }

    /// via-received: the source address a server saw (RFC 3261 section 18.2.1).
    public var received: String? {
        get { parameters.first(named: "received")?.value }
        set { parameters.set("received", to: newValue) }
    }

    /// RFC 3581 symmetric response routing: present without a value in requests that ask for it.
    public var wantsRPort: Bool { parameters.contains(named: "rport") }

    public var rport: UInt16? {
        get { parameters.first(named: "rport")?.value.flatMap { UInt16($0) } }
        set { parameters.set("rport", to: newValue.map { String($0) }) }
    }

    public var maddr: String? { parameters.first(named: "maddr")?.value }

    public var headerValue: String {
        var text = "\(protocolName)/\(protocolVersion)/\(transport) \(host)"
        if let port { text += ":\(port)" }
        text += parameters.serialized
        return text
    }

    public var description: String { headerValue }

    public init(parsingHeaderValue bytes: UnsafeRawBufferPointer) throws(SIPParseError) {
        var scanner = ByteScanner(bytes)
        // sent-protocol = protocol-name SLASH protocol-version SLASH transport; SLASH = SWS "/" SWS
        guard let name = scanner.readToken(), scanner.consumeSeparator(UInt8(ascii: "/")),
            let version = scanner.readToken(), scanner.consumeSeparator(UInt8(ascii: "/")),
            let transport = scanner.readToken()
        else { throw SIPParseError.badHeader("Via", "bad sent-protocol") }
        guard !scanner.read(while: SIPCharacterClass.isWhitespace).isEmpty else {
            throw SIPParseError.badHeader("Via", "no space before sent-by")
        }
        // sent-by = host [ COLON port ]
        guard let host = SIPHost.read(from: &scanner) else { throw SIPParseError.badHeader("Via", "bad host") }
        var port: UInt16?
        if scanner.consumeSeparator(UInt8(ascii: ":")) {
            guard let number = scanner.readNumber(maximum: 65_535) else {
                throw SIPParseError.badHeader("Via", "bad port")
            }
            port = UInt16(number)
        }
        let parameters = try GenericParameter.readList(from: &scanner, header: "Via")
        scanner.skipWhitespace()
        guard scanner.isAtEnd else { throw SIPParseError.badHeader("Via", "unexpected characters") }
        self.protocolName = scanner.string(name)
        self.protocolVersion = scanner.string(version)
        self.transport = scanner.string(transport).uppercased()
        self.host = host
        self.port = port
        self.parameters = parameters
    }
}
