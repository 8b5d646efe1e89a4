import NIOCore
import NIOWebSocket

/// Client frames: RFC 6455 section 5.3 requires a client to mask every frame it sends.
enum WebSocketTestFrames {
    static func text(_ bytes: ByteBuffer) -> WebSocketFrame {
        WebSocketFrame(fin: true, opcode: .text, maskKey: .random(), data: bytes)
    }
}
