/// A transport address as text: an IP literal (IPv6 without brackets) and a port. Engines see peers
/// through this value so that they never touch sockets.
public struct SIPPeerAddress: Hashable, Sendable, CustomStringConvertible {
    public var host: String
    public var port: UInt16

    public init(host: String, port: UInt16) {
        self.host = host
        self.port = port
    }

    public var isIPv6: Bool { host.contains(":") }

    /// `host:port` with IPv6 references bracketed (RFC 3261 section 25.1, hostport).
    public var description: String { isIPv6 ? "[\(host)]:\(port)" : "\(host):\(port)" }
}
