import NIOCore

/// A SIP request (RFC 3261 section 7.1): Method SP Request-URI SP SIP-Version, headers, body.
public struct SIPRequest: Hashable, Sendable {
    public var method: SIPMethod
    public var uri: URI
    public var headers: SIPHeaders
    public var body: ByteBuffer

    public init(method: SIPMethod, uri: URI, headers: SIPHeaders = SIPHeaders(), body: ByteBuffer = ByteBuffer()) {
        self.method = method
        self.uri = uri
        self.headers = headers
        self.body = body
    }
}
