import Logging
import NIOCore
import NIOPosix
import SIPCore
import SIPTransport
import Testing

/// Connections that never carry a SIP message (or never finish their WebSocket upgrade) are closed,
/// so idle sockets cannot hold every connection slot.
@Suite("Idle connections")
struct IdleConnectionTests {
    @Test(arguments: [false, true])
    func silentConnectionsAreClosed(webSocket: Bool) async throws {
        let loop = ParleyTestServer.group.next()
        let settings = TransportSettings(firstMessageTimeout: .milliseconds(200))
        let (listener, hub) = try await loop.flatSubmit { () -> EventLoopFuture<(SIPListener, NIOLoopBound<SIPTransportHub>)> in
            let hub = SIPTransportHub(eventLoop: loop, settings: settings, logger: Logger(label: "idle-test"))
            let bound = webSocket
                ? hub.bindWebSocket(host: "127.0.0.1", port: 0, tls: nil) : hub.bindStream(host: "127.0.0.1", port: 0, tls: nil)
            return bound.map { ($0, NIOLoopBound(hub, eventLoop: loop)) }
        }.get()
        defer { loop.execute { _ = hub.value.shutdown() } }
        let client = try await ClientBootstrap(group: loop)
            .connect(host: listener.address.host, port: Int(listener.address.port)).get()
        let closed = try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask {
                try await client.closeFuture.get()
                return true
            }
            group.addTask {
                try await Task.sleep(for: .seconds(5))
                return false
            }
            let first = try await group.next()!
            group.cancelAll()
            return first
        }
        #expect(closed, "the server kept a silent connection open")
        try? await client.close()
    }
}
