import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import NIOWebSocket
import SIPCore

extension SIPTestAgent {
    /// A UDP agent bound to 127.0.0.1 on a free port.
    public static func udp(server: SIPPeerAddress, group: any EventLoopGroup, bindHost: String = "127.0.0.1") async throws -> SIPTestAgent {
        let box = AgentBox()
        let channel = try await DatagramBootstrap(group: group)
            .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: 65_536))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(AgentDatagramHandler(box: box))
                }
            }
            .bind(host: bindHost, port: 0).get()
        return try box.attach(transport: .udp, server: server, channel: channel)
    }

    /// A TCP (or TLS, without certificate verification: a test peer) agent.
    public static func stream(server: SIPPeerAddress, tls: Bool, group: any EventLoopGroup) async throws -> SIPTestAgent {
        let box = AgentBox()
        let context = tls ? try NIOSSLContext(configuration: Self.insecureClientTLS) : nil
        let channel = try await ClientBootstrap(group: group)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let context { try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: context, serverHostname: nil)) }
                    try channel.pipeline.syncOperations.addHandler(AgentStreamHandler(box: box))
                }
            }
            .connect(host: server.host, port: Int(server.port)).get()
        return try box.attach(transport: tls ? .tls : .tcp, server: server, channel: channel)
    }

    /// A WebSocket agent: HTTP upgrade at `path` offering `subprotocol` (RFC 7118 section 4.1), over TLS
    /// when `tls` is set (no certificate verification: a test peer). Fails when the server refuses.
    public static func webSocket(
        server: SIPPeerAddress, tls: Bool, group: any EventLoopGroup, path: String = "/sip",
        subprotocol: String? = "sip", origin: String? = nil, headers: [(String, String)] = []
    ) async throws -> SIPTestAgent {
        let box = AgentBox()
        let upgraded = group.next().makePromise(of: Void.self)
        let context = tls ? try NIOSSLContext(configuration: Self.insecureClientTLS) : nil
        let host = server.description
        let channel = try await ClientBootstrap(group: group)
            .channelInitializer { channel in
                let upgrader = NIOWebSocketClientUpgrader(maxFrameSize: 1 << 20, automaticErrorHandling: true) { channel, _ in
                    // The upgrade request handler has done its job; frames must not pass through it.
                    channel.pipeline.removeHandler(name: "upgrade-request").flatMapThrowing {
                        try channel.pipeline.syncOperations.addHandler(AgentWebSocketHandler(box: box))
                        upgraded.succeed(())
                    }
                }
                let request = UpgradeRequestHandler(
                    host: host, path: path, subprotocol: subprotocol, origin: origin, extraHeaders: headers,
                    failure: upgraded)
                let configuration: NIOHTTPClientUpgradeSendableConfiguration = (upgraders: [upgrader], completionHandler: { _ in })
                return channel.eventLoop.makeCompletedFuture {
                    if let context { try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: context, serverHostname: nil)) }
                    try channel.pipeline.syncOperations.addHTTPClientHandlers(withClientUpgrade: configuration)
                    try channel.pipeline.syncOperations.addHandler(request, name: "upgrade-request")
                }
            }
            .connect(host: server.host, port: Int(server.port)).get()
        do {
            try await upgraded.futureResult.get()
        } catch {
            try? await channel.close()
            throw error
        }
        return try box.attach(transport: tls ? .wss : .ws, server: server, channel: channel)
    }

    static var insecureClientTLS: TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.certificateVerification = .none
        return configuration
    }
}

/// Holds the agent for handlers created before it exists.
final class AgentBox: Sendable {
    private let agent = NIOLockedValueBox<SIPTestAgent?>(nil)
    private let early = NIOLockedValueBox<[SIPMessage]>([])

    func attach(transport: SIPTransportKind, server: SIPPeerAddress, channel: any Channel) throws -> SIPTestAgent {
        guard let local = SIPPeerAddress(channel.localAddress) else {
            throw SIPTestAgentError.connect("no local address")
        }
        let created = SIPTestAgent(transport: transport, localAddress: local, server: server, channel: channel)
        let pending = agent.withLockedValue { value -> [SIPMessage] in
            value = created
            return early.withLockedValue { messages in
                defer { messages = [] }
                return messages
            }
        }
        for message in pending { created.received(message) }
        return created
    }

    func deliver(_ message: SIPMessage) {
        let target = agent.withLockedValue { value -> SIPTestAgent? in
            guard let value else {
                early.withLockedValue { $0.append(message) }
                return nil
            }
            return value
        }
        target?.received(message)
    }
}
