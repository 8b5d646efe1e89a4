import MediaSession
import NIOCore

/// Hands the datagrams of one leg's socket to its session driver; sends are flushed once per read
/// batch, so a burst of packets goes out with one sendmmsg.
final class MediaDatagramHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>

    private let driver: MediaSessionDriver
    private let side: MediaLegSide

    init(driver: MediaSessionDriver, side: MediaLegSide) {
        self.driver = driver
        self.side = side
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var envelope = unwrapInboundIn(data)
        driver.receive(&envelope.data, from: envelope.remoteAddress, on: side)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        driver.flush()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // ICMP port unreachable and the like arrive as errors on a connectionless socket: not fatal.
    }
}
