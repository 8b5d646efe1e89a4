/// The start line and header fields of a message, before its body is framed and its core headers are
/// validated. A rejected request still has a head, from which the error response is built.
public struct SIPMessageHead: Hashable, Sendable {
    public var startLine: SIPStartLine
    public var headers: SIPHeaders
    /// The Content-Length value, when the header was present (checked: one value, digits only).
    public var contentLength: Int?

    public init(startLine: SIPStartLine, headers: SIPHeaders, contentLength: Int?) {
        self.startLine = startLine
        self.headers = headers
        self.contentLength = contentLength
    }

    public var isRequest: Bool {
        if case .request = startLine { return true }
        return false
    }
}
