import NIOCore

/// The media threads, one per core by default; calls are spread over them in turn.
public final class MediaIOLoops: Sendable {
    let loops: [MediaIOLoop]

    private init(loops: [MediaIOLoop]) {
        self.loops = loops
    }

    public static func start(count: Int) throws -> MediaIOLoops {
        let loops = try (0..<max(1, count)).map { try MediaIOLoop(name: "parley-media-\($0)") }
        for loop in loops { loop.start() }
        return MediaIOLoops(loops: loops)
    }

    /// Stops the threads and waits for them; their sockets are closed.
    public func stop() {
        for loop in loops { loop.stop() }
        for loop in loops { loop.waitUntilStopped() }
    }
}
