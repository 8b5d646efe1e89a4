import NIOCore

/// What one media event loop holds: its 20 ms ticker and the drivers of the sessions placed on it.
/// Touched only on that loop.
final class MediaLoopContext {
    let eventLoop: any EventLoop
    let ticker: MediaTicker
    var drivers: [UInt64: MediaSessionDriver] = [:]

    init(eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
        ticker = MediaTicker(eventLoop: eventLoop)
    }
}
