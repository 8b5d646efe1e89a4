import Logging
import NIOCore
import NIOPosix
import NIOSSL
import SIPCore

/// Owns every SIP flow of the server: the UDP sockets, the TCP/TLS connections and the WebSocket
/// connections. It lives on one event loop with the SIP runtime, so that flows, bindings and
/// transactions are touched by one thread and need no locks; every method must be called on it.
public final class SIPTransportHub {
    public let eventLoop: any EventLoop
    public let settings: TransportSettings
    let logger: Logger
    /// Receives every transport event; set by the runtime before the first listener binds.
    public var onEvent: (TransportEvent) -> Void = { _ in }

    private var nextFlowNumber: UInt64 = 1
    private var flows: [FlowID: Flow] = [:]
    /// Connection-oriented flows by (transport, peer address), for reuse when sending to an address.
    private var flowsByPeer: [PeerKey: FlowID] = [:]
    /// Messages waiting for an outbound connection to complete.
    private var pendingConnects: [PeerKey: [PendingWrite]] = [:]
    private var connectionCount = 0
    public internal(set) var listeners: [SIPListener] = []
    /// For connections Parley opens to TLS contacts; without one, those sends fail.
    public var clientTLSContext: NIOSSLContext?
    var serverChannels: [any Channel] = []

    struct Flow {
        var source: SIPSource
        var channel: any Channel
        var framing: Framing
    }

    enum Framing {
        case datagram
        case stream
        case webSocket
    }

    struct PeerKey: Hashable {
        var transport: SIPTransportKind
        var address: SIPPeerAddress
    }

    struct PendingWrite {
        var bytes: ByteBuffer
        var onFailure: () -> Void
    }

    public init(eventLoop: any EventLoop, settings: TransportSettings = TransportSettings(), logger: Logger) {
        self.eventLoop = eventLoop
        self.settings = settings
        self.logger = logger
    }

    /// The listener the server uses for a transport (its address goes into Via, Record-Route, Path).
    public func listener(for transport: SIPTransportKind, ipv6: Bool = false) -> SIPListener? {
        listeners.first { $0.transport == transport && $0.address.isIPv6 == ipv6 }
            ?? listeners.first { $0.transport == transport }
    }

    var connectionChannels: [any Channel] {
        flows.values.filter { $0.framing != .datagram }.map(\.channel)
    }

    // MARK: Sending

    /// Sends a serialized message; `onFailure` runs (on the loop) when it cannot be delivered: the flow
    /// is gone, the connection cannot be made, or the write fails (RFC 3261 section 17.1.4).
    public func send(_ bytes: ByteBuffer, to destination: SIPDestination, onFailure: @escaping () -> Void) {
        eventLoop.preconditionInEventLoop()
        switch destination {
        case .flow(let source):
            guard let flow = flows[source.flow] else { return onFailure() }
            write(bytes, on: flow, to: source.remote, onFailure: onFailure)
        case .address(.udp, let address):
            guard let listener = listener(for: .udp, ipv6: address.isIPv6), let flow = flows[listener.flow] else {
                return onFailure()
            }
            write(bytes, on: flow, to: address, onFailure: onFailure)
        case .address(let transport, let address):
            let key = PeerKey(transport: transport, address: address)
            if let id = flowsByPeer[key], let flow = flows[id] {
                write(bytes, on: flow, to: address, onFailure: onFailure)
            } else if transport == .tcp || transport == .tls {
                connect(key, then: PendingWrite(bytes: bytes, onFailure: onFailure))
            } else {
                // A server cannot open a WebSocket to a browser: only its own flow reaches it.
                onFailure()
            }
        }
    }

    private func write(_ bytes: ByteBuffer, on flow: Flow, to remote: SIPPeerAddress, onFailure: @escaping () -> Void) {
        let promise = eventLoop.makePromise(of: Void.self)
        promise.futureResult.whenFailure { _ in onFailure() }
        switch flow.framing {
        case .datagram:
            guard let address = try? remote.socketAddress() else { return onFailure() }
            flow.channel.writeAndFlush(AddressedEnvelope(remoteAddress: address, data: bytes), promise: promise)
        case .stream:
            flow.channel.writeAndFlush(bytes, promise: promise)
        case .webSocket:
            flow.channel.writeAndFlush(SIPWebSocketHandler.textFrame(bytes), promise: promise)
        }
    }

    // MARK: Flows (called by the channel handlers)

    func allocateFlowID() -> FlowID {
        defer { nextFlowNumber += 1 }
        return FlowID(nextFlowNumber)
    }

    /// Registers an accepted or connected channel; false when the connection limit is reached.
    func open(_ source: SIPSource, channel: any Channel, framing: Framing) -> Bool {
        if framing != .datagram {
            guard connectionCount < settings.maxConnections else { return false }
            connectionCount += 1
            flowsByPeer[PeerKey(transport: source.transport, address: source.remote)] = source.flow
        }
        flows[source.flow] = Flow(source: source, channel: channel, framing: framing)
        return true
    }

    /// The channel of a connection flow; nil for unknown flows and for UDP sockets (never closed per flow).
    func flowChannel(_ id: FlowID) -> (any Channel)? {
        guard let flow = flows[id], flow.framing != .datagram else { return nil }
        return flow.channel
    }

    func isWebSocket(_ id: FlowID) -> Bool {
        flows[id]?.framing == .webSocket
    }

    func close(_ id: FlowID) {
        guard let flow = flows.removeValue(forKey: id) else { return }
        if flow.framing != .datagram {
            connectionCount -= 1
            let key = PeerKey(transport: flow.source.transport, address: flow.source.remote)
            if flowsByPeer[key] == id { flowsByPeer[key] = nil }
            onEvent(.flowClosed(id))
        }
    }

    func deliver(_ frame: SIPFrame, from source: SIPSource) {
        switch frame {
        case .message(let message): onEvent(.message(message, source))
        case .rejected(let error, let head): onEvent(.rejected(error, head: head, source))
        case .keepAlivePing, .keepAlivePong: break
        }
    }

    // MARK: Outbound connections

    private func connect(_ key: PeerKey, then write: PendingWrite) {
        if pendingConnects[key] != nil {
            pendingConnects[key]!.append(write)
            return
        }
        pendingConnects[key] = [write]
        let loopBoundHub = NIOLoopBound(self, eventLoop: eventLoop)
        let tlsContext = key.transport == .tls ? clientTLSContext : nil
        if key.transport == .tls && tlsContext == nil {
            return failPending(key)
        }
        let address: SocketAddress
        do { address = try key.address.socketAddress() } catch { return failPending(key) }
        ClientBootstrap(group: eventLoop)
            .connectTimeout(.seconds(5))
            .channelInitializer { channel in
                do {
                    if let tlsContext {
                        let handler = try NIOSSLClientHandler(context: tlsContext, serverHostname: nil)
                        try channel.pipeline.syncOperations.addHandler(handler)
                    }
                    let hub = loopBoundHub.value
                    let source = SIPSource(transport: key.transport, remote: key.address, flow: hub.allocateFlowID())
                    try channel.pipeline.syncOperations.addHandler(SIPStreamHandler(hub: hub, source: source))
                    return channel.eventLoop.makeSucceededVoidFuture()
                } catch {
                    return channel.eventLoop.makeFailedFuture(error)
                }
            }
            .connect(to: address)
            .whenComplete { result in
                let hub = loopBoundHub.value
                switch result {
                case .success(let channel):
                    // Straight onto the new channel: its handler registers the flow only when it becomes
                    // active, which may be after this callback.
                    for pending in hub.pendingConnects.removeValue(forKey: key) ?? [] {
                        let promise = channel.eventLoop.makePromise(of: Void.self)
                        promise.futureResult.whenFailure { _ in pending.onFailure() }
                        channel.writeAndFlush(pending.bytes, promise: promise)
                    }
                case .failure(let error):
                    hub.logger.info("outbound connection failed", metadata: ["sip.peer": "\(key.address)", "error": "\(error)"])
                    hub.failPending(key)
                }
            }
    }

    private func failPending(_ key: PeerKey) {
        for pending in pendingConnects.removeValue(forKey: key) ?? [] {
            pending.onFailure()
        }
    }
}
