import NIOCore
import SIPCore

/// Input bounds and keepalive timing of the transports; every bound has a safe default.
public struct TransportSettings: Sendable {
    public var limits: SIPLimits
    /// Largest WebSocket message (RFC 7118 section 5: one SIP message per message).
    public var maxWebSocketMessageBytes: Int
    /// The server pings each WebSocket this often; a connection silent for two intervals is closed.
    public var webSocketPingInterval: TimeAmount
    /// Connections (all listeners, inbound and outbound) before new ones are refused. Keep it below the
    /// process's file-descriptor limit.
    public var maxConnections: Int
    /// A TCP/TLS connection or an HTTP connection not yet upgraded to a WebSocket is closed when it has
    /// sent no SIP message (no upgrade) by then.
    public var firstMessageTimeout: TimeAmount

    public init(
        limits: SIPLimits = .default, maxWebSocketMessageBytes: Int = 65_535,
        webSocketPingInterval: TimeAmount = .seconds(25), maxConnections: Int = 100_000,
        firstMessageTimeout: TimeAmount = .seconds(30)
    ) {
        self.firstMessageTimeout = firstMessageTimeout
        self.limits = limits
        self.maxWebSocketMessageBytes = maxWebSocketMessageBytes
        self.webSocketPingInterval = webSocketPingInterval
        self.maxConnections = maxConnections
    }
}
