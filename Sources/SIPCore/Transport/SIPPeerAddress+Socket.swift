import NIOCore

extension SIPPeerAddress {
    /// The textual form of a socket address; nil for Unix-domain sockets.
    public init?(_ address: SocketAddress?) {
        guard let address, let ip = address.ipAddress, let port = address.port, let port16 = UInt16(exactly: port)
        else { return nil }
        self.init(host: ip, port: port16)
    }

    public func socketAddress() throws -> SocketAddress {
        try SocketAddress(ipAddress: host, port: Int(port))
    }
}
