/// A message that cannot be accepted, with the status a server answers it with (DESIGN.md convention 5).
///
/// Responses that fail to parse are dropped instead (RFC 3261 section 18.1.2); the status is then unused.
public struct SIPParseError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Kind: Hashable, Sendable {
        case malformedStartLine
        case unsupportedVersion
        case malformedHeaderLine
        case malformedHeaderValue(header: String)
        case duplicateSingleHeader(header: String)
        case missingHeader(header: String)
        case methodMismatch
        case malformedURI
        case invalidContentLength
        case truncatedBody
        case messageTooLarge
        case bodyTooLarge
        case tooManyHeaders
        case lineTooLong
    }

    public var kind: Kind
    /// The status to answer a request with.
    public var status: SIPStatus
    /// A short human explanation; goes into the reason phrase of the answer, never contains secrets.
    public var detail: String

    public init(_ kind: Kind, status: SIPStatus = .badRequest, detail: String) {
        self.kind = kind
        self.status = status
        self.detail = detail
    }

    /// The reason phrase for the answer: the standard phrase followed by what was wrong.
    public var reasonPhrase: String { "\(status.defaultReasonPhrase) (\(detail))" }

    public var description: String { "\(status.code) \(reasonPhrase)" }

    static func badHeader(_ name: String, _ detail: String) -> SIPParseError {
        SIPParseError(.malformedHeaderValue(header: name), detail: "malformed \(name): \(detail)")
    }
}
