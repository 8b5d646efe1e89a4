/// A session description that cannot be accepted (DESIGN.md convention 5).
///
/// `reason` never quotes field values, so ICE passwords or keys cannot leak into a log or a reason phrase.
public struct SDPParseError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Kind: Hashable, Sendable {
        /// The body is larger than `SDPLimits.maxBodyBytes`.
        case bodyTooLarge
        /// More lines than `SDPLimits.maxLines`.
        case tooManyLines
        /// A line longer than `SDPLimits.maxLineBytes`.
        case lineTooLong
        /// More m= sections than `SDPLimits.maxMediaSections`.
        case tooManyMediaSections
        /// Not `<type>=<value>` with a single lowercase letter type, or a NUL/CR inside the line.
        case malformedLine
        /// The first line is not v=.
        case missingVersion
        /// v= is not 0.
        case unsupportedVersion
        /// No o= line at session level.
        case missingOrigin
        /// No s= line at session level.
        case missingSessionName
        /// No t= line, when `SDPParser.requiresTiming` is set.
        case missingTiming
        /// A line at a level where it may not appear, a second copy of a single line, or r= before t=.
        case misplacedLine(type: Character)
        case malformedOrigin
        case malformedConnection
        case malformedBandwidth
        case malformedTiming
        case malformedMedia
        /// A known attribute (rtpmap, fmtp, candidate, fingerprint, setup...) whose value breaks its grammar.
        case malformedAttribute(name: String)
    }

    public var kind: Kind
    /// 1-based line number, when the error belongs to one line.
    public var line: Int?
    /// A short human explanation, without field values.
    public var reason: String

    public init(_ kind: Kind, line: Int? = nil, reason: String) {
        self.kind = kind
        self.line = line
        self.reason = reason
    }

    /// The SIP status to answer an offer carrying this description with: 413 when it is too large, 488 when it is
    /// well formed but beyond what we accept (RFC 3261 section 21.4.26), 400 when it is malformed.
    public var statusCode: Int {
        switch kind {
        case .bodyTooLarge, .tooManyLines, .lineTooLong: 413
        case .tooManyMediaSections, .unsupportedVersion: 488
        default: 400
        }
    }

    public var description: String {
        if let line { "invalid SDP at line \(line): \(reason)" } else { "invalid SDP: \(reason)" }
    }

    static func attribute(_ name: String, _ reason: String) -> SDPParseError {
        SDPParseError(.malformedAttribute(name: name), reason: "malformed a=\(name): \(reason)")
    }

    func at(line number: Int) -> SDPParseError {
        var copy = self
        copy.line = number
        return copy
    }
}
