import SIPCore

/// A bound listening socket: what the server advertises for a transport.
public struct SIPListener: Hashable, Sendable {
    public var transport: SIPTransportKind
    public var address: SIPPeerAddress
    /// For UDP, the flow of the socket itself; for stream listeners, unused by routing.
    public var flow: FlowID

    public init(transport: SIPTransportKind, address: SIPPeerAddress, flow: FlowID) {
        self.transport = transport
        self.address = address
        self.flow = flow
    }
}
