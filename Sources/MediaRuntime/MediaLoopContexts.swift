import NIOCore

/// The per-loop contexts of the media event loops, made on their own loops before the bridge starts.
public struct MediaLoopContexts: Sendable {
    let contexts: [NIOLoopBound<MediaLoopContext>]

    public static func make(on group: any EventLoopGroup) async throws -> MediaLoopContexts {
        var contexts: [NIOLoopBound<MediaLoopContext>] = []
        for loop in group.makeIterator() {
            let context = try await loop.submit { NIOLoopBound(MediaLoopContext(eventLoop: loop), eventLoop: loop) }.get()
            contexts.append(context)
        }
        return MediaLoopContexts(contexts: contexts)
    }
}
