import NIOCore
import NIOHTTP1

/// Answers the HTTP requests on the WebSocket port that are not a valid SIP WebSocket upgrade, with the
/// status and reason of the upgrade policy, then closes.
final class HTTPFallbackHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let policy: WebSocketUpgradePolicy
    private var head: HTTPRequestHead?

    init(policy: WebSocketUpgradePolicy) {
        self.policy = policy
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
        case .body:
            break
        case .end:
            guard let head else { return }
            let status: HTTPResponseStatus
            let reason: String
            switch policy.decide(head) {
            case .refuse(let refusedStatus, let refusedReason):
                status = refusedStatus
                reason = refusedReason
            case .upgrade:
                status = .badRequest
                reason = "not a WebSocket upgrade request"
            }
            var body = context.channel.allocator.buffer(capacity: reason.utf8.count + 1)
            body.writeString(reason + "\n")
            var headers = HTTPHeaders()
            headers.add(name: "Content-Type", value: "text/plain; charset=utf-8")
            headers.add(name: "Content-Length", value: "\(body.readableBytes)")
            headers.add(name: "Connection", value: "close")
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: status, headers: headers))), promise: nil)
            context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
            let channel = context.channel
            context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in channel.close(promise: nil) }
            self.head = nil
        }
    }
}
