import Hummingbird
import NIOCore

/// Hummingbird's request context with the client's address (sessions are bound to it).
public struct WebRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.remoteAddress = source.channel.remoteAddress
    }

    /// Sign-in bodies are a few dozen bytes.
    public var maxUploadSize: Int { 16 * 1024 }

    /// The client's address as text, as the session stores it.
    var clientHost: String { remoteAddress?.ipAddress ?? "unknown" }
}
