import HTTPTypes
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1
import NIOWebSocket
import SIPCore
import SIPServices
import SIPTransport
import ServiceLifecycle

/// One HTTPS connection of the web front: plain HTTP requests go to Hummingbird's router; an upgrade at
/// `/sip` that the policy allows becomes a SIP WebSocket flow of the transport hub (RFC 7118), tied to the
/// web session whose cookie came with it. Modelled on HummingbirdWebSocket's upgrade channel, but the
/// upgraded connection keeps the hub's synchronous handlers on the SIP event loop: no task per message.
struct SIPWebChannel: ServerChildChannel, HTTPChannelHandler {
    enum UpgradeResult: Sendable {
        case sip(any Channel, FlowID)
        case http(NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>)
        /// An upgrade request the policy refused (foreign Origin, no `sip` subprotocol, wrong path).
        case refused(NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>, HTTPResponseStatus, String)
    }

    struct Value: ServerChildChannelValue {
        let upgradeResult: EventLoopFuture<UpgradeResult>
        let channel: any Channel
        let state: NIOLoopBoundBox<UpgradeState>
    }

    /// What the upgrade decided, kept between NIO's callbacks on the connection's loop.
    struct UpgradeState {
        var refusal: (HTTPResponseStatus, String)?
        var sessionID: String?
        /// Set once the first request arrived (upgrade or not); until then nothing else closes the connection.
        var decided = false
        var firstRequestTimeout: Scheduled<Void>?

        mutating func decide() {
            decided = true
            firstRequestTimeout?.cancel()
            firstRequestTimeout = nil
        }
    }

    let responder: HTTPChannelHandler.Responder
    let hub: NIOLoopBound<SIPTransportHub>
    let transport: SIPTransportKind
    let policy: WebSocketUpgradePolicy
    let sessions: WebSessionRegistry
    let clock: @Sendable () -> UnixTime
    let maxWebSocketMessage: Int
    let idleTimeout: Duration
    /// A connection that sends no request in this time (an idle socket, a stalled TLS handshake) is closed.
    let firstRequestTimeout: TimeAmount

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture {
            let state = NIOLoopBoundBox(UpgradeState(), eventLoop: channel.eventLoop)
            state.value.firstRequestTimeout = channel.eventLoop.scheduleTask(in: firstRequestTimeout) {
                if !state.value.decided { channel.close(promise: nil) }
            }
            let policy = self.policy
            let sessions = self.sessions
            let clock = self.clock
            let hub = self.hub
            let transport = self.transport
            let upgrader = NIOTypedWebSocketServerUpgrader<UpgradeResult>(
                maxFrameSize: maxWebSocketMessage,
                enableAutomaticErrorHandling: true,
                shouldUpgrade: { channel, head in
                    state.value.decide()
                    switch policy.decide(head) {
                    case .refuse(let status, let reason):
                        state.value.refusal = (status, reason)
                        return channel.eventLoop.makeSucceededFuture(nil)
                    case .upgrade:
                        state.value.sessionID = Self.sessionID(
                            of: head, remote: channel.remoteAddress, sessions: sessions, now: clock())
                        // RFC 7118 section 4.1: the server answers with the one subprotocol it accepted.
                        return channel.eventLoop.makeSucceededFuture(HTTPHeaders([("Sec-WebSocket-Protocol", "sip")]))
                    }
                },
                upgradePipelineHandler: { channel, _ in
                    channel.eventLoop.makeCompletedFuture {
                        let flow = try hub.value.adoptWebSocket(channel, transport: transport)
                        if let sessionID = state.value.sessionID { sessions.attach(flow: flow, sessionID: sessionID) }
                        return UpgradeResult.sip(channel, flow)
                    }
                }
            )
            let serverUpgrade = NIOTypedHTTPServerUpgradeConfiguration(
                upgraders: [upgrader],
                notUpgradingCompletionHandler: { channel in
                    state.value.decide()
                    return channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(HTTP1ToHTTPServerCodec(secure: true))
                        try channel.pipeline.syncOperations.addHandler(
                            HTTPConnectionStateHandler(idleTimeout: idleTimeout, logger: logger))
                        let http = try NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>(
                            wrappingChannelSynchronously: channel,
                            configuration: .init(isOutboundHalfClosureEnabled: true))
                        if let (status, reason) = state.value.refusal {
                            return UpgradeResult.refused(http, status, reason)
                        }
                        return UpgradeResult.http(http)
                    }
                }
            )
            var configuration = NIOUpgradableHTTPServerPipelineConfiguration<UpgradeResult>(
                upgradeConfiguration: serverUpgrade)
            configuration.enablePipelining = false  // NIOAsyncChannel pipelines HTTP
            configuration.enableErrorHandling = false  // Hummingbird answers errors
            configuration.enableResponseHeaderValidation = false  // HTTPTypes validates
            let result = try channel.pipeline.syncOperations.configureUpgradableHTTPServerPipeline(
                configuration: configuration)
            return Value(upgradeResult: result, channel: channel, state: state)
        }
    }

    func handle(value: Value, logger: Logger) async {
        // A connection still waiting for its first request has no other handler that would end it when the
        // server shuts down (Hummingbird's own handles only HTTP that has started).
        let result: UpgradeResult
        do {
            result = try await withGracefulShutdownHandler {
                try await value.upgradeResult.get()
            } onGracefulShutdown: {
                value.channel.eventLoop.execute {
                    if !value.state.value.decided { value.channel.close(promise: nil) }
                }
            }
        } catch {
            logger.debug("web connection ended before a request", metadata: ["error": "\(error)"])
            // A failed upgrade (after the 101) leaves nothing to close the socket but us.
            try? await value.channel.close()
            return
        }
        switch result {
        case .http(let http):
            await handleHTTP(asyncChannel: http, logger: logger)
        case .refused(let http, let status, let reason):
            await refuse(http, status: status, reason: reason, logger: logger)
        case .sip(let channel, let flow):
            // The hub's handlers run the connection; this task only keeps the server's count of open
            // connections right, and closes the socket when the server shuts down.
            await withGracefulShutdownHandler {
                try? await channel.closeFuture.get()
            } onGracefulShutdown: {
                channel.eventLoop.execute { hub.value.closeFlow(flow, code: .goingAway) }
            }
            sessions.detach(flow: flow)
        }
    }

    /// The refused upgrade's status with the policy's reason as text (403 for a foreign Origin: no
    /// cross-site WebSocket hijacking), then the connection closes.
    private func refuse(
        _ http: NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>, status: HTTPResponseStatus, reason: String,
        logger: Logger
    ) async {
        logger.info(
            "SIP WebSocket upgrade refused", metadata: ["http.status": "\(status.code)", "reason": "\(reason)"])
        let body = ByteBuffer(string: reason + "\n")
        let head = HTTPResponse(
            status: .init(code: Int(status.code), reasonPhrase: status.reasonPhrase),
            headerFields: [
                .contentType: "text/plain; charset=utf-8", .contentLength: "\(body.readableBytes)",
                .connection: "close",
            ])
        try? await http.executeThenClose { _, outbound in
            try await outbound.write(contentsOf: [.head(head), .body(body), .end(nil)])
        }
    }

    /// The web session of an upgrade request: its cookie, valid from this address and User-Agent. None for
    /// clients without one (other SIP user agents authenticate with device accounts).
    private static func sessionID(
        of head: HTTPRequestHead, remote: SocketAddress?, sessions: WebSessionRegistry, now: UnixTime
    ) -> String? {
        guard let host = remote?.ipAddress,
            let cookie = Cookies(from: head.headers["Cookie"])[sessions.settings.cookieName]?.value
        else { return nil }
        return sessions.session(
            cookie: cookie, clientHost: host, userAgent: head.headers.first(name: "User-Agent") ?? "", now: now)?.id
    }
}
