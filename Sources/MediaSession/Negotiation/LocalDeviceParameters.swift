/// Parley's side of one device leg: where it receives plain RTP.
public struct LocalDeviceParameters: Sendable, Equatable {
    /// The media IP (`--media-ip`), IPv4 or IPv6 literal.
    public var address: String
    /// The device leg's RTP port. Nothing is advertised for RTCP: a=rtcp-mux confuses old devices.
    public var port: UInt16
    /// The o= session id and version (RFC 8866 section 5.2; RFC 3264 section 8).
    public var sessionID: UInt64
    public var sessionVersion: UInt64

    public init(address: String, port: UInt16, sessionID: UInt64, sessionVersion: UInt64) {
        self.address = address
        self.port = port
        self.sessionID = sessionID
        self.sessionVersion = sessionVersion
    }
}
