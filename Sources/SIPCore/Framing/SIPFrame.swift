/// What a framer hands up from the wire.
public enum SIPFrame: Hashable, Sendable {
    /// A well-formed message.
    case message(SIPMessage)
    /// A message that cannot be accepted. When `head` is a request head, answer it with `error.status`
    /// (a response that fails is dropped, RFC 3261 section 18.1.2).
    case rejected(SIPParseError, head: SIPMessageHead?)
    /// RFC 5626 section 3.5.1: a double CRLF ping on a stream; answer with a single CRLF.
    case keepAlivePing
    /// RFC 5626 section 3.5.1: the single CRLF pong to a ping we sent.
    case keepAlivePong
}
