import AudioCodecs
import DTLSOpenSSL
import Foundation
import Logging
import MediaRuntime
import MediaSession
import NIOCore
import NIOPosix
import NIOSSL
import NIOWebSocket
import SIPCore
import SIPRuntime
import SIPServices
import SIPTransport
import Storage
import WebFront

/// The composition root of `parley serve`: opens the store, binds the listeners, starts the SIP runtime
/// on its event loop, and stops it all on SIGINT or SIGTERM.
public final class ParleyGateway: Sendable {
    public let settings: GatewaySettings
    let logger: Logger
    let group: MultiThreadedEventLoopGroup
    /// The media threads, one per core (DESIGN.md: each call's media lives on one of them).
    let mediaLoops: MediaIOLoops
    let store: ParleyStore
    let persistence: StoreBindingPersistence
    private let runtime: NIOLoopBound<Runtime>
    /// The HTTPS front (web client, sign-in API, `/sip`); nil when no HTTPS address is configured.
    private let webFront: WebFrontServer?
    /// Ends web sessions that expired or whose user changed (WebSessionMaintenance).
    private let sessionSweep: Task<Void, Never>

    /// What lives on the SIP event loop.
    final class Runtime {
        let hub: SIPTransportHub
        let server: SIPServer
        let media: MediaBridge

        init(hub: SIPTransportHub, server: SIPServer, media: MediaBridge) {
            self.hub = hub
            self.server = server
            self.media = media
        }
    }

    /// The addresses actually bound (port 0 in the settings picks a free port).
    public let listeners: [SIPListener]

    public static func start(settings: GatewaySettings, logger: Logger) async throws -> ParleyGateway {
        let store = try ParleyStore(dataDirectory: settings.dataDirectory)
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let loop = group.next()
        var tls: NIOSSLContext?
        var webTLS: TLSConfiguration?
        if !settings.sipTLS.isEmpty || !settings.https.isEmpty {
            let files: (certificate: String, key: String)
            if let certificate = settings.tlsCertificate, let key = settings.tlsKey {
                files = (certificate, key)
            } else {
                files = try DevelopmentCertificate.ensure(
                    dataDirectory: settings.dataDirectory, domain: settings.domain)
            }
            do {
                let configuration = try TLSContextFactory.serverConfiguration(
                    certificateChainPath: files.certificate, privateKeyPath: files.key)
                tls = try NIOSSLContext(configuration: configuration)
                webTLS = configuration
            } catch {
                throw GatewayError("cannot load the TLS certificate \(files.certificate) / \(files.key): \(error)")
            }
        }
        let persistence = StoreBindingPersistence(store: store, logger: logger)
        let restored = try store.loadBindings(domain: settings.domain)
        let sessions = try WebSessionRegistry(
            store: store, domain: settings.domain,
            settings: WebSessionSettings(lifetimeSeconds: Int64(settings.webSessionHours) * 3600), now: UnixTime.now())
        // Devices from the store, and web sessions' keys on their own WebSockets.
        let storeDirectory = try StoreCredentialDirectory(store: store, domain: settings.domain)
        let directory = SessionCredentialDirectory(devices: storeDirectory, sessions: sessions)
        let chat = ChatServices(
            archive: StoreMessageArchive(store: store, directory: storeDirectory, logger: logger),
            directory: storeDirectory)
        var secret = [UInt8](repeating: 0, count: 32)
        var generator = SystemRandomNumberGenerator()
        for index in secret.indices { secret[index] = generator.next() }
        let algorithms = settings.digestAlgorithms.compactMap { DigestAlgorithm(token: $0) }
        let configuration = SIPServerConfiguration(
            domain: settings.domain, secret: secret, digestAlgorithms: algorithms,
            checksDigestURI: settings.digestURICheck)
        let transportSettings = TransportSettings(webSocketPingInterval: .seconds(Int64(settings.webSocketPingSeconds)))
        // DESIGN.md: by default only Parley's own origin may open the SIP WebSocket from a browser (no
        // cross-site WebSocket hijacking), whatever name or address the page was opened with; clients without
        // Origin are not browsers and authenticate.
        let webPolicy = WebSocketUpgradePolicy(
            path: "/sip", allowedOrigins: settings.allowedOrigins, sameOriginScheme: "https")
        let plainPolicy = WebSocketUpgradePolicy(
            path: "/sip", allowedOrigins: settings.allowedOrigins, sameOriginScheme: "http")
        let tlsContext = tls
        let mediaLoops: MediaIOLoops
        let dtlsCertificate: DTLSCertificate
        do {
            // DTLS (RFC 8827 section 6.5): one ECDSA certificate per process; its fingerprint goes into SDP.
            dtlsCertificate = try DTLSCertificate.generate()
            mediaLoops = try MediaIOLoops.start(count: System.coreCount)
        } catch {
            try? await group.shutdownGracefully()
            throw GatewayError("cannot start the media bridge: \(error)")
        }
        let mediaSettings = MediaBridgeSettings(
            mediaIP: settings.mediaIP ?? "127.0.0.1",
            ports: UInt16(settings.mediaPorts.lowerBound)...UInt16(settings.mediaPorts.upperBound),
            codecPolicy: settings.mediaCodecPolicy,
            session: BridgeSettings(opus: OpusEncoderSettings(complexity: settings.opusComplexity)))

        do {
            let (runtime, listeners) = try await loop.flatSubmit {
                () -> EventLoopFuture<(NIOLoopBound<Runtime>, [SIPListener])> in
                let hub = SIPTransportHub(eventLoop: loop, settings: transportSettings, logger: logger)
                hub.clientTLSContext = try? TLSContextFactory.client()
                var binds: [EventLoopFuture<SIPListener>] = []
                for udp in settings.sipUDP { binds.append(hub.bindUDP(host: udp.host, port: udp.port)) }
                for tcp in settings.sipTCP { binds.append(hub.bindStream(host: tcp.host, port: tcp.port, tls: nil)) }
                if let tlsContext {
                    for address in settings.sipTLS {
                        binds.append(hub.bindStream(host: address.host, port: address.port, tls: tlsContext))
                    }
                }
                for ws in settings.sipWS {
                    binds.append(hub.bindWebSocket(host: ws.host, port: ws.port, tls: nil, policy: plainPolicy))
                }
                return EventLoopFuture.whenAllSucceed(binds, on: loop).map { listeners in
                    let server = SIPServer(
                        hub: hub, configuration: configuration, directory: directory, persistence: persistence,
                        logger: logger, wallClock: { UnixTime.now() })
                    let media = MediaBridge(
                        settings: mediaSettings, sipLoop: loop, mediaLoops: mediaLoops, certificate: dtlsCertificate,
                        logger: logger)
                    server.mediaAnchor = media
                    server.chat = chat
                    server.start(restoring: restored)
                    return (NIOLoopBound(Runtime(hub: hub, server: server, media: media), eventLoop: loop), listeners)
                }
            }.get()
            let webFront: WebFrontServer?
            do {
                webFront = try await startWebFront(
                    settings: settings, tls: webTLS, policy: webPolicy, runtime: runtime, loop: loop, store: store,
                    sessions: sessions, directory: storeDirectory, logger: logger)
            } catch {
                try? await loop.flatSubmit {
                    runtime.value.server.stop()
                    return runtime.value.hub.shutdown()
                }.get()
                throw error
            }
            if webFront != nil {
                try await loop.submit { runtime.value.server.refreshLocalAddresses() }.get()
            }
            let maintenance = WebSessionMaintenance(
                sessions: sessions, store: store, clock: { UnixTime.now() }, logger: logger,
                closeFlows: closeSessionFlows(runtime, loop: loop))
            let sweep = Task { await maintenance.run() }
            return ParleyGateway(
                settings: settings, logger: logger, group: group, mediaLoops: mediaLoops, store: store,
                persistence: persistence, runtime: runtime, webFront: webFront, sessionSweep: sweep,
                listeners: listeners + (webFront?.listeners ?? []))
        } catch {
            mediaLoops.stop()
            try? await group.shutdownGracefully()
            throw GatewayError("cannot start the listeners: \(error)")
        }
    }

    /// Closes ended web sessions' WebSockets (1000: they ended normally) on the SIP loop, from any thread.
    private static func closeSessionFlows(
        _ runtime: NIOLoopBound<Runtime>, loop: any EventLoop
    )
        -> @Sendable ([FlowID]) -> Void
    {
        { flows in loop.execute { for flow in flows { runtime.value.hub.closeFlow(flow, code: .normalClosure) } } }
    }

    /// The HTTPS front on the SIP event loop: `/sip` upgrades become hub flows without a hop.
    private static func startWebFront(
        settings: GatewaySettings, tls: TLSConfiguration?, policy: WebSocketUpgradePolicy,
        runtime: NIOLoopBound<Runtime>, loop: any EventLoop, store: ParleyStore, sessions: WebSessionRegistry,
        directory: StoreCredentialDirectory, logger: Logger
    ) async throws -> WebFrontServer? {
        guard let tls, !settings.https.isEmpty else { return nil }
        let index = (settings.webRoot as NSString).appendingPathComponent("index.html")
        if !FileManager.default.fileExists(atPath: index) {
            logger.warning(
                "the web client is not at \(settings.webRoot) (no index.html): set --web-root to the WebClient folder")
        }
        let hub = try await loop.submit { NIOLoopBound(runtime.value.hub, eventLoop: loop) }.get()
        let signIn = WebSignInService(
            store: store, sessions: sessions, limiter: SignInLimiter(), password: WebPassword(), logger: logger,
            closeFlows: closeSessionFlows(runtime, loop: loop))
        var configuration = WebFrontServer.Configuration(
            addresses: settings.https.map { ($0.host, $0.port) }, webRoot: settings.webRoot, tls: tls, policy: policy,
            domain: settings.domain)
        configuration.membershipChanged = { try? directory.reloadIfChanged() }
        return try await WebFrontServer.start(
            configuration: configuration, hub: hub, eventLoop: loop, sessions: sessions, signIn: signIn,
            logger: logger, clock: { UnixTime.now() })
    }

    private init(
        settings: GatewaySettings, logger: Logger, group: MultiThreadedEventLoopGroup,
        mediaLoops: MediaIOLoops, store: ParleyStore, persistence: StoreBindingPersistence,
        runtime: NIOLoopBound<Runtime>,
        webFront: WebFrontServer?, sessionSweep: Task<Void, Never>, listeners: [SIPListener]
    ) {
        self.webFront = webFront
        self.sessionSweep = sessionSweep
        self.settings = settings
        self.logger = logger
        self.group = group
        self.mediaLoops = mediaLoops
        self.store = store
        self.persistence = persistence
        self.runtime = runtime
        self.listeners = listeners
    }

    /// Closes the listeners and connections, writes pending bindings, stops the event loop.
    public func stop() async {
        sessionSweep.cancel()
        await sessionSweep.value
        // The web front first: its SIP WebSockets are hub flows, closed before the hub stops.
        await webFront?.stop()
        let runtime = self.runtime
        try? await group.next().flatSubmit {
            runtime.value.server.stop()
            return runtime.value.hub.shutdown()
        }.get()
        persistence.flush()
        // The media threads first: their last tasks may still post to the SIP loop.
        mediaLoops.stop()
        try? await group.shutdownGracefully()
    }

    /// Media sessions and ports in use (for tests: after hang-up both are zero).
    public func mediaUsage() async -> (sessions: Int, ports: Int) {
        let runtime = self.runtime
        return
            (try? await group.next().submit {
                (runtime.value.media.activeSessionCount, runtime.value.media.allocatedPortCount)
            }.get()) ?? (0, 0)
    }
}
