/// `a=setup`: who opens the DTLS (or TCP) connection. RFC 4145 section 4, used by RFC 8842 for DTLS:
/// ```
/// setup-attr = "a=setup:" role
/// role       = "active" / "passive" / "actpass" / "holdconn"
/// ```
/// An offer says `actpass`; the answer picks `active` or `passive` (RFC 8842 section 5.3).
public enum SetupRole: String, SDPAttributeConvertible, CaseIterable {
    case active
    case passive
    case actpass
    case holdconn

    public static let attributeName = "setup"

    /// ABNF literals are case-insensitive (RFC 5234 section 2.3).
    public init(attributeValue: String) throws(SDPParseError) {
        guard let role = SetupRole(rawValue: SDPText.lowercased(SDPText.trimmed(attributeValue))) else {
            throw .attribute("setup", "role is not active, passive, actpass or holdconn")
        }
        self = role
    }

    public var attributeValue: String { rawValue }

    /// The role an answerer takes for this offered role (RFC 8842 section 5.3: `active` answers `actpass`).
    public var answerRole: SetupRole {
        switch self {
        case .actpass, .passive: .active
        case .active: .passive
        case .holdconn: .holdconn
        }
    }
}
