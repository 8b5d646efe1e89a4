import NIOCore
import NIOHTTP1

/// Answers the HTTP requests on the WebSocket port that are not a valid SIP WebSocket upgrade, with the
/// status and reason of the upgrade policy, then closes.
final class HTTPFallbackHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let policy: WebSocketUpgradePolicy
    private let upgradeTimeout: TimeAmount
    private var head: HTTPRequestHead?
    private var timeout: Scheduled<Void>?

    init(policy: WebSocketUpgradePolicy, upgradeTimeout: TimeAmount) {
        self.policy = policy
        self.upgradeTimeout = upgradeTimeout
    }

    func handlerAdded(context: ChannelHandlerContext) {
        // This handler leaves the pipeline when the upgrade happens; a connection still here after the
        // timeout (a slow or idle client, an unfinished TLS handshake) is closed.
        let channel = context.channel
        timeout = context.eventLoop.scheduleTask(in: upgradeTimeout) { channel.close(promise: nil) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timeout?.cancel()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
        case .body:
            break
        case .end:
            guard let head else { return }
            self.head = nil
            let path = head.uri.split(separator: "?", maxSplits: 1).first.map(String.init) ?? head.uri
            if path == "/" && (head.method == .GET || head.method == .HEAD) {
                // The plain-WS port (`--sip-ws`) serves no web client: its root says what the port is.
                let text = "Parley is running. SIP over WebSocket (RFC 7118) is at \(policy.path), subprotocol \"sip\"."
                return respond(context: context, head: head, status: .ok, text: text)
            }
            switch policy.decide(head) {
            case .refuse(let status, let reason):
                respond(context: context, head: head, status: status, text: reason)
            case .upgrade:
                respond(context: context, head: head, status: .badRequest, text: "not a WebSocket upgrade request")
            }
        }
    }

    private func respond(context: ChannelHandlerContext, head: HTTPRequestHead, status: HTTPResponseStatus, text: String) {
        var body = context.channel.allocator.buffer(capacity: text.utf8.count + 1)
        body.writeString(text + "\n")
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "text/plain; charset=utf-8")
        headers.add(name: "Content-Length", value: "\(body.readableBytes)")
        headers.add(name: "Connection", value: "close")
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: status, headers: headers))), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in channel.close(promise: nil) }
    }
}
