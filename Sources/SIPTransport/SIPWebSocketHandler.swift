import NIOCore
import NIOWebSocket
import SIPCore

/// A SIP WebSocket connection (RFC 7118): one SIP message per text or binary message (section 5.1),
/// server pings at a fixed interval, and a connection that stays silent for two intervals is closed
/// (RFC 6455 section 5.5.2: any traffic counts as a sign of life).
final class SIPWebSocketHandler: ChannelInboundHandler {
    typealias InboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    private let hub: SIPTransportHub
    private let source: SIPSource
    private let decoder: SIPDatagramDecoder
    private var isOpen = false
    private var heardSinceLastPing = true
    private var pingTask: RepeatedTask?

    init(hub: SIPTransportHub, source: SIPSource) {
        self.hub = hub
        self.source = source
        self.decoder = SIPDatagramDecoder(limits: hub.settings.limits)
    }

    static func textFrame(_ bytes: ByteBuffer) -> WebSocketFrame {
        WebSocketFrame(fin: true, opcode: .text, data: bytes)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        // Added after the upgrade, on an already active channel.
        isOpen = hub.open(source, channel: context.channel, framing: .webSocket)
        guard isOpen else {
            hub.logger.warning("connection limit reached, refusing", metadata: ["sip.peer": "\(source.remote)"])
            context.close(promise: nil)
            return
        }
        let interval = hub.settings.webSocketPingInterval
        let loopBoundContext = NIOLoopBound(context, eventLoop: context.eventLoop)
        let loopBoundSelf = NIOLoopBound(self, eventLoop: context.eventLoop)
        pingTask = context.eventLoop.scheduleRepeatedTask(initialDelay: interval, delay: interval) { _ in
            loopBoundSelf.value.pingOrClose(context: loopBoundContext.value)
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        finish()
    }

    func channelInactive(context: ChannelHandlerContext) {
        finish()
        context.fireChannelInactive()
    }

    /// Servers that allow half-closure (the HTTPS front) pass the peer's end of input on as an event: a
    /// WebSocket peer that stopped sending is gone (RFC 6455 section 7.1.1), so close at once rather than
    /// leave it waiting for our TLS close_notify.
    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, event == .inputClosed {
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    private func finish() {
        pingTask?.cancel()
        pingTask = nil
        if isOpen { hub.close(source.flow) }
        isOpen = false
    }

    private func pingOrClose(context: ChannelHandlerContext) {
        guard isOpen else { return }
        guard heardSinceLastPing else {
            hub.logger.info("WebSocket silent, closing", metadata: ["sip.flow": "\(source.flow)"])
            close(context: context, code: .goingAway)
            return
        }
        heardSinceLastPing = false
        context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .ping, data: ByteBuffer())), promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard isOpen else { return }
        let frame = unwrapInboundIn(data)
        heardSinceLastPing = true
        switch frame.opcode {
        case .text, .binary:
            let decoded = decoder.decode(frame.unmaskedData)
            if case .keepAlivePing = decoded {
                // RFC 5626 section 3.5.1 style CRLF keep-alive inside a WebSocket message.
                context.writeAndFlush(wrapOutboundOut(Self.textFrame(ByteBuffer(string: "\r\n"))), promise: nil)
            } else {
                hub.deliver(decoded, from: source)
            }
        case .ping:
            var pong = WebSocketFrame(fin: true, opcode: .pong, data: frame.unmaskedData)
            pong.rsv1 = false
            context.writeAndFlush(wrapOutboundOut(pong), promise: nil)
        case .pong:
            break
        case .connectionClose:
            close(context: context, code: .normalClosure)
        default:
            // RFC 6455 section 5.2: unknown opcodes fail the connection.
            close(context: context, code: .protocolError)
        }
    }

    private func close(context: ChannelHandlerContext, code: WebSocketErrorCode) {
        var payload = context.channel.allocator.buffer(capacity: 2)
        payload.write(webSocketErrorCode: code)
        let frame = WebSocketFrame(fin: true, opcode: .connectionClose, data: payload)
        let channel = context.channel
        channel.writeAndFlush(frame).whenComplete { _ in
            channel.close(promise: nil)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        hub.logger.debug("WebSocket error", metadata: ["sip.flow": "\(source.flow)", "error": "\(error)"])
        if let error = error as? NIOWebSocketError, error == .invalidFrameLength {
            close(context: context, code: .messageTooLarge)
        } else {
            context.close(promise: nil)
        }
    }
}
