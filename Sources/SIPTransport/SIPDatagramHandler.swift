import NIOCore
import SIPCore

/// One UDP socket: each datagram is one SIP message (RFC 3261 section 18.3 does not apply to UDP; the
/// datagram bounds the message). The socket itself is a flow; the peer address tells replies apart.
final class SIPDatagramHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>

    private let hub: SIPTransportHub
    private let flow: FlowID
    private let decoder: SIPDatagramDecoder

    init(hub: SIPTransportHub, flow: FlowID) {
        self.hub = hub
        self.flow = flow
        self.decoder = SIPDatagramDecoder(limits: hub.settings.limits)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        guard let remote = SIPPeerAddress(envelope.remoteAddress) else { return }
        let source = SIPSource(transport: .udp, remote: remote, flow: flow)
        hub.deliver(decoder.decode(envelope.data), from: source)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // ICMP errors surface here (connection refused on a previous send); the socket stays up.
        hub.logger.debug("UDP socket error", metadata: ["error": "\(error)"])
    }
}
