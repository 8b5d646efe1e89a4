/// The transports of a Via sent-protocol (RFC 3261 section 20.42, RFC 7118 section 5.2 for WS/WSS).
public enum SIPTransportKind: String, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    case udp = "UDP"
    case tcp = "TCP"
    case tls = "TLS"
    case ws = "WS"
    case wss = "WSS"

    /// Accepts the Via token or the `transport=` URI parameter in any case.
    public init?(token: String) {
        self.init(rawValue: token.uppercased())
    }

    /// Reliable transports need no retransmissions (RFC 3261 section 17.1.1.2).
    public var isReliable: Bool { self != .udp }

    /// Connection-oriented transports carry flows that can die (RFC 5626 section 4.4).
    public var isConnectionOriented: Bool { self != .udp }

    public var isSecure: Bool { self == .tls || self == .wss }

    /// The value of a SIP URI's `transport` parameter (lower case).
    public var uriParameter: String { rawValue.lowercased() }

    public var description: String { rawValue }
}
