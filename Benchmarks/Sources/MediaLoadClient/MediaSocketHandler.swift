import NIOCore

/// Hands every datagram of one of a call's sockets to the call, on the engine's loop.
final class MediaSocketHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>

    private let call: MediaCall
    private let side: MediaSide

    init(call: MediaCall, side: MediaSide) {
        self.call = call
        self.side = side
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        call.receive(unwrapInboundIn(data).data, on: side)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // ICMP port unreachable after Parley closed a session arrives as an error: not fatal.
    }
}
