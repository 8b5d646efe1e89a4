/// Where a message came from: the transport, the peer's address and, for connection-oriented
/// transports and UDP alike, the flow to answer on.
public struct SIPSource: Hashable, Sendable, CustomStringConvertible {
    public var transport: SIPTransportKind
    public var remote: SIPPeerAddress
    public var flow: FlowID

    public init(transport: SIPTransportKind, remote: SIPPeerAddress, flow: FlowID) {
        self.transport = transport
        self.remote = remote
        self.flow = flow
    }

    public var description: String { "\(transport) \(remote) \(flow)" }
}
