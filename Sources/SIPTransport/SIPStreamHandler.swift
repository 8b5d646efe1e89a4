import NIOCore
import SIPCore

/// A TCP or TLS connection: messages framed by Content-Length (RFC 3261 section 18.3), CRLF keep-alive
/// pings answered with a pong (RFC 5626 section 3.5.1).
final class SIPStreamHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let hub: SIPTransportHub
    private let source: SIPSource
    private var framer: SIPStreamFramer
    private var isOpen = false
    private var heardAMessage = false
    private var firstMessageTimeout: Scheduled<Void>?

    init(hub: SIPTransportHub, source: SIPSource) {
        self.hub = hub
        self.source = source
        self.framer = SIPStreamFramer(limits: hub.settings.limits)
    }

    func channelActive(context: ChannelHandlerContext) {
        isOpen = hub.open(source, channel: context.channel, framing: .stream)
        if !isOpen {
            hub.logger.warning("connection limit reached, refusing", metadata: ["sip.peer": "\(source.remote)"])
            context.close(promise: nil)
        } else {
            // A connection (or TLS handshake) that never carries a SIP message does not hold a slot forever.
            let channel = context.channel
            let loopBoundSelf = NIOLoopBound(self, eventLoop: context.eventLoop)
            firstMessageTimeout = context.eventLoop.scheduleTask(in: hub.settings.firstMessageTimeout) {
                if !loopBoundSelf.value.heardAMessage { channel.close(promise: nil) }
            }
        }
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        firstMessageTimeout?.cancel()
        if isOpen { hub.close(source.flow) }
        isOpen = false
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard isOpen else { return }
        framer.append(unwrapInboundIn(data))
        do {
            while isOpen, let frame = try framer.next() {
                heardAMessage = true
                if case .keepAlivePing = frame {
                    context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: "\r\n")), promise: nil)
                } else {
                    hub.deliver(frame, from: source)
                }
            }
        } catch {
            // The framing is lost (RFC 3261 section 18.3): without a head there is nobody to answer; report
            // it and close the connection.
            hub.deliver(.rejected(error, head: nil), from: source)
            context.close(promise: nil)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        hub.logger.debug("stream error", metadata: ["sip.flow": "\(source.flow)", "error": "\(error)"])
        context.close(promise: nil)
    }
}
