import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import NIOWebSocket
import SIPCore

extension SIPTransportHub {
    /// Binds a UDP socket. Port 0 picks a free port; the returned listener tells which.
    public func bindUDP(host: String, port: Int) -> EventLoopFuture<SIPListener> {
        eventLoop.preconditionInEventLoop()
        let flow = allocateFlowID()
        let loopBoundHub = NIOLoopBound(self, eventLoop: eventLoop)
        var bootstrap = DatagramBootstrap(group: eventLoop)
        if host.contains(":") { bootstrap = bootstrap.channelOption(Self.ipv6Only, value: 1) }
        return bootstrap
            .channelOption(.socketOption(.so_reuseaddr), value: 1)
            // A datagram carries a whole message: receive up to the message limit, not NIO's 2 KiB default.
            .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: 65_536))
            .channelOption(.socketOption(.so_rcvbuf), value: 4 << 20)
            .channelOption(.maxMessagesPerRead, value: 32)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        SIPDatagramHandler(hub: loopBoundHub.value, flow: flow))
                }
            }
            .bind(host: host, port: port)
            .flatMapThrowing { channel in
                let hub = loopBoundHub.value
                let address = try Self.boundAddress(of: channel)
                let listener = SIPListener(transport: .udp, address: address, flow: flow)
                _ = hub.open(SIPSource(transport: .udp, remote: address, flow: flow), channel: channel, framing: .datagram)
                hub.listeners.append(listener)
                hub.serverChannels.append(channel)
                return listener
            }
    }

    /// Binds a TCP listener, or a TLS one when `tls` is given (RFC 3261 section 26.2.1, port 5061).
    public func bindStream(host: String, port: Int, tls: NIOSSLContext?) -> EventLoopFuture<SIPListener> {
        eventLoop.preconditionInEventLoop()
        let transport: SIPTransportKind = tls == nil ? .tcp : .tls
        let loopBoundHub = NIOLoopBound(self, eventLoop: eventLoop)
        return serverBootstrap(host: host)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let hub = loopBoundHub.value
                    guard let remote = SIPPeerAddress(channel.remoteAddress) else {
                        throw ChannelError.inappropriateOperationForState
                    }
                    if let tls {
                        try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls))
                    }
                    let source = SIPSource(transport: transport, remote: remote, flow: hub.allocateFlowID())
                    try channel.pipeline.syncOperations.addHandler(SIPStreamHandler(hub: hub, source: source))
                }
            }
            .bind(host: host, port: port)
            .flatMapThrowing { channel in
                try loopBoundHub.value.registerServer(channel, transport: transport)
            }
    }

    /// Binds the SIP WebSocket listener (RFC 7118): HTTP/1.1 upgrade at the policy's path with the `sip`
    /// subprotocol; WSS when `tls` is given.
    public func bindWebSocket(
        host: String, port: Int, tls: NIOSSLContext?, policy: WebSocketUpgradePolicy = WebSocketUpgradePolicy()
    ) -> EventLoopFuture<SIPListener> {
        eventLoop.preconditionInEventLoop()
        let transport: SIPTransportKind = tls == nil ? .ws : .wss
        let loopBoundHub = NIOLoopBound(self, eventLoop: eventLoop)
        let maxMessage = settings.maxWebSocketMessageBytes
        let firstMessageTimeout = settings.firstMessageTimeout
        let fallbackName = "sip-http-fallback"
        let upgrader = NIOWebSocketServerUpgrader(
            maxFrameSize: maxMessage,
            automaticErrorHandling: true,
            shouldUpgrade: { channel, head in
                guard policy.decide(head) == .upgrade else { return channel.eventLoop.makeSucceededFuture(nil) }
                // RFC 7118 section 4.1: the server answers with the one subprotocol it accepted.
                return channel.eventLoop.makeSucceededFuture(HTTPHeaders([("Sec-WebSocket-Protocol", "sip")]))
            },
            upgradePipelineHandler: { channel, _ in
                channel.pipeline.removeHandler(name: fallbackName).flatMapThrowing {
                    let hub = loopBoundHub.value
                    guard let remote = SIPPeerAddress(channel.remoteAddress) else {
                        throw ChannelError.inappropriateOperationForState
                    }
                    let source = SIPSource(transport: transport, remote: remote, flow: hub.allocateFlowID())
                    try channel.pipeline.syncOperations.addHandlers([
                        NIOWebSocketFrameAggregator(
                            minNonFinalFragmentSize: 1, maxAccumulatedFrameCount: 64,
                            maxAccumulatedFrameSize: maxMessage),
                        SIPWebSocketHandler(hub: hub, source: source),
                    ])
                }
            }
        )
        return serverBootstrap(host: host)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls {
                        try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls))
                    }
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(
                        withServerUpgrade: (upgraders: [upgrader], completionHandler: { _ in }))
                    try channel.pipeline.syncOperations.addHandler(
                        HTTPFallbackHandler(policy: policy, upgradeTimeout: firstMessageTimeout), name: fallbackName)
                }
            }
            .bind(host: host, port: port)
            .flatMapThrowing { channel in
                try loopBoundHub.value.registerServer(channel, transport: transport)
            }
    }

    /// IPv6 sockets take IPv6 only, so that `[::]` and `0.0.0.0` can listen on the same port side by side
    /// and IPv4 peers never show up as mapped addresses.
    static let ipv6Only = ChannelOptions.Types.SocketOption(level: .ipv6, name: .ipv6_v6only)

    private func serverBootstrap(host: String) -> ServerBootstrap {
        var bootstrap = ServerBootstrap(group: eventLoop, childGroup: eventLoop)
        if host.contains(":") { bootstrap = bootstrap.serverChannelOption(Self.ipv6Only, value: 1) }
        return bootstrap
            .serverChannelOption(.backlog, value: 1024)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
    }

    /// Closes the listeners and every connection.
    public func shutdown() -> EventLoopFuture<Void> {
        eventLoop.preconditionInEventLoop()
        let channels = serverChannels + connectionChannels
        serverChannels = []
        listeners = []
        let closes = channels.map { $0.close() }
        return EventLoopFuture.andAllComplete(closes, on: eventLoop)
    }

    private func registerServer(_ channel: any Channel, transport: SIPTransportKind) throws -> SIPListener {
        let listener = SIPListener(transport: transport, address: try Self.boundAddress(of: channel), flow: allocateFlowID())
        listeners.append(listener)
        serverChannels.append(channel)
        return listener
    }

    static func boundAddress(of channel: any Channel) throws -> SIPPeerAddress {
        guard let address = SIPPeerAddress(channel.localAddress) else { throw ChannelError.unknownLocalAddress }
        return address
    }
}
