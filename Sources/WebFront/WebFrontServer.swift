import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOCore
import NIOSSL
import SIPCore
import SIPServices
import SIPTransport
import ServiceLifecycle

/// The HTTPS front (Hummingbird): the web client's files from the web root, the JSON API under `/api`, and
/// the SIP WebSocket at `/sip`, one server per listen address. Its connections live on the SIP event loop,
/// so that an upgraded `/sip` connection is a hub flow with no hop between loops.
public final class WebFrontServer: Sendable {
    /// The bound HTTPS addresses, as WSS listeners of the hub.
    public let listeners: [SIPListener]
    private let serviceGroup: ServiceGroup
    private let running: Task<Void, Never>

    public struct Configuration: Sendable {
        public var addresses: [(host: String, port: Int)]
        /// The folder with `index.html` (WebClient/).
        public var webRoot: String
        public var tls: TLSConfiguration
        public var policy: WebSocketUpgradePolicy
        public var domain: String
        public var maxWebSocketMessage: Int
        /// An HTTP connection idle this long is closed (the SIP WebSocket has its own pings).
        public var idleTimeout: Duration
        /// A new connection must send its first request within this time.
        public var firstRequestTimeout: Duration
        /// Open connections per address (HTTP and SIP WebSockets together).
        public var maxConnections: Int
        /// Called after the API changed a room's members, so that the SIP runtime's directory shows it before
        /// the answer (a MESSAGE to the room right after joining must be taken).
        public var membershipChanged: @Sendable () -> Void = {}

        public init(
            addresses: [(host: String, port: Int)], webRoot: String, tls: TLSConfiguration,
            policy: WebSocketUpgradePolicy, domain: String, maxWebSocketMessage: Int = 65_535,
            idleTimeout: Duration = .seconds(60), firstRequestTimeout: Duration = .seconds(15),
            maxConnections: Int = 10_000
        ) {
            self.firstRequestTimeout = firstRequestTimeout
            self.maxConnections = maxConnections
            self.addresses = addresses
            self.webRoot = webRoot
            self.tls = tls
            self.policy = policy
            self.domain = domain
            self.maxWebSocketMessage = maxWebSocketMessage
            self.idleTimeout = idleTimeout
        }
    }

    /// Binds every address and returns once all listen (or throws the first failure).
    public static func start(
        configuration: Configuration, hub: NIOLoopBound<SIPTransportHub>, eventLoop: any EventLoop,
        sessions: WebSessionRegistry,
        signIn: WebSignInService, logger: Logger, clock: @escaping @Sendable () -> UnixTime
    ) async throws -> WebFrontServer {
        let router = Router(context: WebRequestContext.self)
        router.add(middleware: SecurityHeadersMiddleware())
        router.add(middleware: PublicFilesMiddleware())
        router.add(
            middleware: FileMiddleware(
                configuration.webRoot, cacheControl: .init([(MediaType(type: .any), [.noCache])]),
                searchForIndexHtml: true, logger: logger))
        WebAPI(signIn: signIn, sessions: sessions, domain: configuration.domain, clock: clock).register(on: router)
        ChatAPI(
            store: signIn.store, sessions: sessions, domain: configuration.domain, clock: clock,
            membershipChanged: configuration.membershipChanged
        ).register(on: router)
        router.get("sip") { _, _ in
            // RFC 9110 section 15.5.22: a 426 names the protocol to upgrade to.
            var response = WebAPI.error(
                .upgradeRequired, "the SIP WebSocket needs an upgrade with Sec-WebSocket-Protocol: sip")
            response.headers[.upgrade] = "websocket"
            return response
        }
        let started = AsyncStream<Result<SIPListener, any Error>>.makeStream()
        var services: [any Service] = []
        for address in configuration.addresses {
            let application = Application(
                router: router,
                server: HTTPServerBuilder { responder in
                    try TLSChannel(
                        SIPWebChannel(
                            responder: responder, hub: hub, transport: .wss, policy: configuration.policy,
                            sessions: sessions, clock: clock, maxWebSocketMessage: configuration.maxWebSocketMessage,
                            idleTimeout: configuration.idleTimeout,
                            firstRequestTimeout: TimeAmount(configuration.firstRequestTimeout)),
                        tlsConfiguration: configuration.tls)
                },
                configuration: ApplicationConfiguration(
                    address: .hostname(address.host, port: address.port), serverName: "Parley",
                    availableConnectionsDelegate: MaximumAvailableConnections(configuration.maxConnections)),
                onServerRunning: { serverChannel in
                    let registered = serverChannel.eventLoop.submit { () throws -> SIPListener in
                        guard let bound = SIPPeerAddress(serverChannel.localAddress) else {
                            throw ChannelError.unknownLocalAddress
                        }
                        return hub.value.registerListener(transport: .wss, address: bound)
                    }
                    do {
                        started.continuation.yield(.success(try await registered.get()))
                    } catch {
                        started.continuation.yield(.failure(error))
                    }
                },
                eventLoopGroupProvider: .shared(eventLoop),
                logger: logger)
            services.append(FailureReportingService(base: application, report: started.continuation))
        }
        let serviceGroup = ServiceGroup(
            configuration: .init(
                services: services.map { .init(service: $0) }, gracefulShutdownSignals: [], logger: logger))
        let running = Task {
            do {
                try await serviceGroup.run()
            } catch {
                logger.error("the HTTPS front stopped", metadata: ["error": "\(error)"])
            }
        }
        var listeners: [SIPListener] = []
        for await result in started.stream {
            switch result {
            case .success(let listener): listeners.append(listener)
            case .failure(let error):
                await serviceGroup.triggerGracefulShutdown()
                await running.value
                throw error
            }
            if listeners.count == configuration.addresses.count { break }
        }
        return WebFrontServer(listeners: listeners, serviceGroup: serviceGroup, running: running)
    }

    private init(listeners: [SIPListener], serviceGroup: ServiceGroup, running: Task<Void, Never>) {
        self.listeners = listeners
        self.serviceGroup = serviceGroup
        self.running = running
    }

    /// Stops accepting, closes the connections (SIP WebSockets included) and waits for the servers to end.
    public func stop() async {
        await serviceGroup.triggerGracefulShutdown()
        await running.value
    }
}

/// Runs a server and reports a failure to bind (which ends `run` before the server runs) to the start-up wait.
private struct FailureReportingService: Service {
    let base: any Service
    let report: AsyncStream<Result<SIPListener, any Error>>.Continuation

    func run() async throws {
        do {
            try await base.run()
        } catch {
            report.yield(.failure(error))
            throw error
        }
    }
}
