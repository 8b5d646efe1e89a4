/// ERROR-CODE values used here (RFC 8489 section 14.8, RFC 8445 section 7.3.1.1) and their reason phrases.
public enum STUNErrorCode {
    /// 400 Bad Request: malformed, or (RFC 8489 section 9.1.3) missing USERNAME or MESSAGE-INTEGRITY.
    public static let badRequest = 400
    /// 401 Unauthenticated: unknown USERNAME or wrong MESSAGE-INTEGRITY (RFC 8489 section 9.1.3).
    public static let unauthenticated = 401
    /// 420 Unknown Attribute: comprehension-required attributes not understood (RFC 8489 section 6.3.1).
    public static let unknownAttribute = 420
    /// 487 Role Conflict (RFC 8445 section 7.3.1.1).
    public static let roleConflict = 487
    /// 500 Server Error.
    public static let serverError = 500

    /// The reason phrase RFC 8489 section 14.8 suggests; "Error" for codes it does not list.
    public static func reasonPhrase(for code: Int) -> String {
        switch code {
        case 300: "Try Alternate"
        case 400: "Bad Request"
        case 401: "Unauthenticated"
        case 403: "Forbidden"
        case 420: "Unknown Attribute"
        case 438: "Stale Nonce"
        case 487: "Role Conflict"
        case 500: "Server Error"
        default: "Error"
        }
    }
}
