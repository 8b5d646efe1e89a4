import NIOCore
import NIOWebSocket
import SIPCore

/// WebSockets upgraded by another HTTP server on the hub's event loop (the web front serves the web client
/// and hands `/sip` upgrades here), so that they become SIP flows like the hub's own.
extension SIPTransportHub {
    /// Announces a listener bound by another server (its address goes into Via and Record-Route like the
    /// hub's own listeners).
    @discardableResult
    public func registerListener(transport: SIPTransportKind, address: SIPPeerAddress) -> SIPListener {
        eventLoop.preconditionInEventLoop()
        let listener = SIPListener(transport: transport, address: address, flow: allocateFlowID())
        listeners.append(listener)
        return listener
    }

    /// Makes an upgraded WebSocket channel a SIP flow (RFC 7118): adds the frame aggregator and the SIP
    /// handler after the WebSocket codec, and returns the new flow's id. The channel must live on the hub's
    /// event loop, and its upgrade must have checked the `sip` subprotocol.
    public func adoptWebSocket(_ channel: any Channel, transport: SIPTransportKind) throws -> FlowID {
        eventLoop.preconditionInEventLoop()
        precondition(channel.eventLoop === eventLoop, "an adopted WebSocket must live on the hub's event loop")
        guard let remote = SIPPeerAddress(channel.remoteAddress) else {
            throw ChannelError.inappropriateOperationForState
        }
        let maxMessage = settings.maxWebSocketMessageBytes
        let source = SIPSource(transport: transport, remote: remote, flow: allocateFlowID())
        try channel.pipeline.syncOperations.addHandlers([
            NIOWebSocketFrameAggregator(
                minNonFinalFragmentSize: 1, maxAccumulatedFrameCount: 64, maxAccumulatedFrameSize: maxMessage),
            SIPWebSocketHandler(hub: self, source: source),
        ])
        return source.flow
    }

    /// Closes a connection flow (a signed-out web session's WebSocket, the server going down). A WebSocket
    /// gets a close frame first (RFC 6455 section 7.1.2; 1001 "going away" by default), so the browser sees a
    /// clean close rather than 1006. Its bindings and open branches go as for any closed flow.
    public func closeFlow(_ id: FlowID, code: WebSocketErrorCode = .goingAway) {
        eventLoop.preconditionInEventLoop()
        guard let flow = flowChannel(id) else { return }
        guard isWebSocket(id) else { return flow.close(promise: nil) }
        var payload = flow.allocator.buffer(capacity: 2)
        payload.write(webSocketErrorCode: code)
        flow.writeAndFlush(WebSocketFrame(fin: true, opcode: .connectionClose, data: payload)).whenComplete { _ in
            flow.close(promise: nil)
        }
    }
}
