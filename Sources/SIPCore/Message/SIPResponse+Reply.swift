import NIOCore

extension SIPResponse {
    /// A response to a request (RFC 3261 section 8.2.6.2): Via, From, Call-ID, CSeq and To copied in
    /// order, and a To tag added when given and the request's To has none. Works from the headers alone
    /// so that a request rejected by the parser can still be answered.
    public init(replyingTo requestHeaders: SIPHeaders, status: SIPStatus, reasonPhrase: String? = nil, toTag: Tag? = nil) {
        var headers = SIPHeaders()
        for field in requestHeaders where field.name == .via {
            headers.append(field)
        }
        for name in [HeaderName.from, .to, .callID, .cseq] {
            guard let field = requestHeaders.first(name) else { continue }
            if name == .to, let toTag, status.code > 100, let to = try? requestHeaders.to, to.tag == nil {
                var tagged = to
                tagged.tag = toTag
                headers.append(.to, tagged.headerValue)
            } else {
                headers.append(HeaderField(name: HeaderName(name.known!), value: field.value))
            }
        }
        self.init(status: status, reasonPhrase: reasonPhrase, headers: headers)
    }

    public init(replyingTo request: SIPRequest, status: SIPStatus, reasonPhrase: String? = nil, toTag: Tag? = nil) {
        self.init(replyingTo: request.headers, status: status, reasonPhrase: reasonPhrase, toTag: toTag)
    }
}
