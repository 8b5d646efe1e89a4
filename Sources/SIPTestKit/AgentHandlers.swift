import NIOCore
import NIOHTTP1
import NIOWebSocket
import SIPCore

final class AgentDatagramHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    let box: AgentBox
    let decoder = SIPDatagramDecoder()

    init(box: AgentBox) { self.box = box }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .message(let message) = decoder.decode(unwrapInboundIn(data).data) { box.deliver(message) }
    }
}

final class AgentStreamHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    let box: AgentBox
    var framer = SIPStreamFramer()

    init(box: AgentBox) { self.box = box }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        framer.append(unwrapInboundIn(data))
        while let frame = try? framer.next() {
            if case .message(let message) = frame { box.deliver(message) }
        }
    }
}

final class AgentWebSocketHandler: ChannelInboundHandler {
    typealias InboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame
    let box: AgentBox
    let decoder = SIPDatagramDecoder()

    init(box: AgentBox) { self.box = box }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        switch frame.opcode {
        case .text, .binary:
            if case .message(let message) = decoder.decode(frame.unmaskedData) { box.deliver(message) }
        case .ping:
            let pong = WebSocketFrame(fin: true, opcode: .pong, maskKey: .random(), data: frame.unmaskedData)
            context.writeAndFlush(wrapOutboundOut(pong), promise: nil)
        case .connectionClose:
            context.close(promise: nil)
        default:
            break
        }
    }
}

/// Sends the HTTP upgrade request once connected; a non-101 answer fails the upgrade.
final class UpgradeRequestHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundOut = HTTPClientRequestPart
    let host: String
    let path: String
    let subprotocol: String?
    let origin: String?
    let extraHeaders: [(String, String)]
    let failure: EventLoopPromise<Void>

    init(
        host: String, path: String, subprotocol: String?, origin: String?, extraHeaders: [(String, String)] = [],
        failure: EventLoopPromise<Void>
    ) {
        self.host = host
        self.path = path
        self.subprotocol = subprotocol
        self.origin = origin
        self.extraHeaders = extraHeaders
        self.failure = failure
    }

    func channelActive(context: ChannelHandlerContext) {
        var headers = HTTPHeaders([("Host", host), ("Content-Length", "0")])
        if let subprotocol { headers.add(name: "Sec-WebSocket-Protocol", value: subprotocol) }
        if let origin { headers.add(name: "Origin", value: origin) }
        headers.add(contentsOf: extraHeaders)
        let head = HTTPRequestHead(version: .http1_1, method: .GET, uri: path, headers: headers)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head(let head) = unwrapInboundIn(data), head.status != .switchingProtocols {
            failure.fail(SIPTestAgentError.connect("upgrade refused: \(head.status.code) \(head.status.reasonPhrase)"))
            context.close(promise: nil)
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        // Removed after a successful upgrade: nothing left to report.
    }

    func channelInactive(context: ChannelHandlerContext) {
        failure.fail(SIPTestAgentError.connect("connection closed before the upgrade"))
        context.fireChannelInactive()
    }
}
