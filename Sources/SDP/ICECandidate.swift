/// `a=candidate`. RFC 8839 section 5.1:
/// ```
/// candidate-attribute = "candidate" ":" foundation SP component-id SP transport SP priority SP
///                       connection-address SP port SP cand-type [SP rel-addr] [SP rel-port] *(SP cand-extension)
/// foundation          = 1*32ice-char
/// component-id        = 1*3DIGIT
/// transport           = "UDP" / transport-extension
/// priority            = 1*10DIGIT
/// cand-type           = "typ" SP candidate-types
/// candidate-types     = "host" / "srflx" / "prflx" / "relay" / token
/// rel-addr            = "raddr" SP connection-address
/// rel-port            = "rport" SP port
/// cand-extension      = extension-att-name SP extension-att-value
/// ```
/// TCP candidates carry `tcptype` as an extension (RFC 6544 section 4.5); Chrome adds `generation`, `ufrag`,
/// `network-id` and `network-cost`.
public struct ICECandidate: SDPAttributeConvertible {
    public static let attributeName = "candidate"

    public enum CandidateType: Hashable, Sendable, CustomStringConvertible {
        case host
        case serverReflexive
        case peerReflexive
        case relay
        case other(String)

        public init(_ name: String) {
            switch SDPText.lowercased(name) {
            case "host": self = .host
            case "srflx": self = .serverReflexive
            case "prflx": self = .peerReflexive
            case "relay": self = .relay
            default: self = .other(name)
            }
        }

        public var name: String {
            switch self {
            case .host: "host"
            case .serverReflexive: "srflx"
            case .peerReflexive: "prflx"
            case .relay: "relay"
            case .other(let name): name
            }
        }

        public var description: String { name }
    }

    /// One `name value` extension pair, in the order received.
    public struct Extension: Hashable, Sendable {
        public var name: String
        public var value: String

        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    public var foundation: String
    /// 1 for RTP, 2 for RTCP when not multiplexed.
    public var component: Int
    /// `UDP` or `TCP` as written (Chrome writes lowercase, Firefox uppercase).
    public var transport: String
    public var priority: UInt32
    /// IP address or, from browsers hiding local addresses, an mDNS `.local` name.
    public var address: String
    public var port: UInt16
    public var type: CandidateType
    public var relatedAddress: String?
    public var relatedPort: UInt16?
    public var extensions: [Extension]

    public init(
        foundation: String, component: Int = 1, transport: String = "UDP", priority: UInt32, address: String,
        port: UInt16, type: CandidateType = .host, relatedAddress: String? = nil, relatedPort: UInt16? = nil,
        extensions: [Extension] = []
    ) {
        self.foundation = foundation
        self.component = component
        self.transport = transport
        self.priority = priority
        self.address = address
        self.port = port
        self.type = type
        self.relatedAddress = relatedAddress
        self.relatedPort = relatedPort
        self.extensions = extensions
    }

    /// Parses the attribute value. A leading `candidate:` is skipped too, since trickled candidates
    /// (RFC 8840 section 4.2) carry the attribute that way.
    public init(attributeValue: String) throws(SDPParseError) {
        var text = Substring(attributeValue)
        if text.hasPrefix("candidate:") { text = text.dropFirst("candidate:".count) }
        let fields = SDPText.fields(text)
        guard fields.count >= 8, fields[6] == "typ" else {
            throw .attribute("candidate", "expected <foundation> <component> <transport> <priority> <addr> <port> typ")
        }
        guard SDPText.isICEString(fields[0], lengths: 1...32) else {
            throw .attribute("candidate", "foundation is not 1-32 ice-chars")
        }
        guard let component = SDPText.number(fields[1], as: UInt16.self), (1...999).contains(component) else {
            throw .attribute("candidate", "component is not 1-3 digits")
        }
        guard SDPText.isToken(fields[2]) else { throw .attribute("candidate", "transport is not a token") }
        guard fields[3].count <= 10, let priority = SDPText.number(fields[3], as: UInt32.self) else {
            throw .attribute("candidate", "priority is not a 32-bit number")
        }
        guard !fields[4].isEmpty, let port = SDPText.number(fields[5], as: UInt16.self) else {
            throw .attribute("candidate", "port is not 0-65535")
        }
        guard SDPText.isToken(fields[7]) else { throw .attribute("candidate", "candidate type is not a token") }
        self.init(
            foundation: String(fields[0]), component: Int(component), transport: String(fields[2]),
            priority: priority, address: String(fields[4]), port: port, type: CandidateType(String(fields[7])))

        var rest = fields.dropFirst(8)
        guard rest.count % 2 == 0 else { throw .attribute("candidate", "an extension has no value") }
        while let name = rest.popFirst(), let value = rest.popFirst() {
            switch name {
            case "raddr" where relatedAddress == nil:
                relatedAddress = String(value)
            case "rport" where relatedPort == nil:
                guard let port = SDPText.number(value, as: UInt16.self) else {
                    throw .attribute("candidate", "rport is not 0-65535")
                }
                relatedPort = port
            default:
                extensions.append(Extension(name: String(name), value: String(value)))
            }
        }
    }

    public var attributeValue: String {
        var value = "\(foundation) \(component) \(transport) \(priority) \(address) \(port) typ \(type.name)"
        if let relatedAddress { value += " raddr \(relatedAddress)" }
        if let relatedPort { value += " rport \(relatedPort)" }
        for item in extensions { value += " \(item.name) \(item.value)" }
        return value
    }

    /// The value of an extension such as `generation` or `tcptype`.
    public func extensionValue(_ name: String) -> String? {
        extensions.first { $0.name == name }?.value
    }

    public var isUDP: Bool { SDPText.equalsIgnoringCase(transport, "UDP") }

    /// RFC 6544 section 4.5: `active`, `passive` or `so` for TCP candidates.
    public var tcpType: String? { extensionValue("tcptype") }

    /// RFC 8445 section 5.1.2.1: (2^24)*(type preference) + (2^8)*(local preference) + (256 - component ID).
    public static func priority(typePreference: UInt32, localPreference: UInt32, component: Int) -> UInt32 {
        min(typePreference, 126) << 24 | min(localPreference, 65_535) << 8 | UInt32(256 - min(max(component, 1), 256))
    }
}
