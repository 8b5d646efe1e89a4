/// Where to send a message: back over a known flow, or to a transport address (a UDP datagram, or a
/// TCP/TLS connection reused or opened for it).
public enum SIPDestination: Hashable, Sendable, CustomStringConvertible {
    /// Over this flow; for UDP, from the flow's socket to `source.remote` (RFC 3581 symmetric routing).
    case flow(SIPSource)
    case address(SIPTransportKind, SIPPeerAddress)

    public var transport: SIPTransportKind {
        switch self {
        case .flow(let source): return source.transport
        case .address(let transport, _): return transport
        }
    }

    /// The peer's address.
    public var remote: SIPPeerAddress {
        switch self {
        case .flow(let source): return source.remote
        case .address(_, let address): return address
        }
    }

    public var description: String {
        switch self {
        case .flow(let source): return "\(source)"
        case .address(let transport, let address): return "\(transport) \(address)"
        }
    }
}
