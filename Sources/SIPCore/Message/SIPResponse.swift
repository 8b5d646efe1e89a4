import NIOCore

/// A SIP response (RFC 3261 section 7.2): SIP-Version SP Status-Code SP Reason-Phrase, headers, body.
public struct SIPResponse: Hashable, Sendable {
    public var status: SIPStatus
    public var reasonPhrase: String
    public var headers: SIPHeaders
    public var body: ByteBuffer

    public init(
        status: SIPStatus, reasonPhrase: String? = nil, headers: SIPHeaders = SIPHeaders(),
        body: ByteBuffer = ByteBuffer()
    ) {
        self.status = status
        self.reasonPhrase = reasonPhrase ?? status.defaultReasonPhrase
        self.headers = headers
        self.body = body
    }
}
