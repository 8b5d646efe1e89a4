import SIPCore

/// SIP URI comparison (RFC 3261 section 19.1.4), used to match a Contact against stored bindings
/// (section 10.3 step 7) and a digest `uri` against the Request-URI.
public enum SIPURIEquivalence {
    /// Parameters that make a URI differ from one without them (section 19.1.4).
    private static let significantParameters: Set<String> = ["user", "ttl", "method", "maddr", "transport"]

    public static func equivalent(_ lhs: URI, _ rhs: URI) -> Bool {
        switch (lhs, rhs) {
        case (.sip(let left), .sip(let right)):
            return equivalent(left, right)
        case (.tel(let left), .tel(let right)):
            return left.digits == right.digits
                && normalized(left.parameters) == normalized(right.parameters)
        default:
            return lhs.description == rhs.description
        }
    }

    public static func equivalent(_ lhs: SIPURI, _ rhs: SIPURI) -> Bool {
        // A SIP and a SIPS URI are never equivalent.
        guard lhs.isSecure == rhs.isSecure else { return false }
        // userinfo compares case-sensitively, after unescaping.
        guard lhs.unescapedUser == rhs.unescapedUser,
            lhs.password.map(PercentEncoding.unescape) == rhs.password.map(PercentEncoding.unescape)
        else { return false }
        // Host compares case-insensitively; an absent port differs from the default one.
        guard lhs.host.description.lowercased() == rhs.host.description.lowercased(), lhs.port == rhs.port
        else { return false }
        let left = normalized(lhs.parameters)
        let right = normalized(rhs.parameters)
        for name in Set(left.keys).union(right.keys) {
            switch (left[name], right[name]) {
            case (let a?, let b?):
                if a != b { return false }
            case (nil, nil):
                continue
            default:
                // Only in one URI: ignored, except for user, ttl, method, maddr and transport.
                if significantParameters.contains(name) { return false }
            }
        }
        // Headers: every component must be present in both and match.
        return normalized(lhs.headers, lowercasingValues: false) == normalized(rhs.headers, lowercasingValues: false)
    }

    /// name (lower-cased) -> value unescaped and lower-cased ("" for a flag). The first of a repeated
    /// name wins.
    private static func normalized(_ parameters: [GenericParameter], lowercasingValues: Bool = true)
        -> [String: String]
    {
        var result: [String: String] = [:]
        for parameter in parameters {
            let name = PercentEncoding.unescape(parameter.name).lowercased()
            guard result[name] == nil else { continue }
            let value = PercentEncoding.unescape(parameter.value ?? "")
            result[name] = lowercasingValues ? value.lowercased() : value
        }
        return result
    }
}
