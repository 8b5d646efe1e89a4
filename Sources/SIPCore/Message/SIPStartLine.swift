/// Request-Line or Status-Line (RFC 3261 section 7.1 and 7.2).
public enum SIPStartLine: Hashable, Sendable {
    case request(method: SIPMethod, uri: URI)
    case response(status: SIPStatus, reasonPhrase: String)
}
