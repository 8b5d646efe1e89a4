import SIPCore

/// An address of record in canonical form: `sip:user@domain` (RFC 3261 section 10.3 step 5: URI
/// parameters dropped, escapes resolved; section 19.1.4: the user compares case-sensitively, the host
/// case-insensitively, so the domain is kept lower-cased). Two AORs are equal when their canonical
/// forms are.
public struct AOR: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The user part, unescaped.
    public let user: String
    /// The host, lower-cased (IPv6 references keep their brackets).
    public let domain: String

    /// `user` is taken unescaped; the domain is lower-cased.
    public init(user: String, domain: String) {
        self.user = user
        self.domain = domain.lowercased()
    }

    /// RFC 3261 section 10.3 step 5: the canonical AOR of a To or Request URI. Nil for URIs without a
    /// user part or of another scheme than sip/sips (a sips URI names the same AOR as sip).
    public init?(uri: URI) {
        guard case .sip(let sipURI) = uri else { return nil }
        self.init(sipURI: sipURI)
    }

    public init?(sipURI: SIPURI) {
        guard let user = sipURI.unescapedUser, !user.isEmpty else { return nil }
        self.init(user: user, domain: sipURI.host.description)
    }

    /// Parses `sip:user@domain` (any parameters are dropped).
    public init?(parsing text: String) {
        guard let uri = try? URI(parsing: text) else { return nil }
        self.init(uri: uri)
    }

    /// The AOR as a SIP URI, the user escaped again where the grammar needs it.
    public var uri: SIPURI {
        let host = (try? SIPHost(parsing: domain)) ?? .hostname(domain)
        return SIPURI(user: PercentEncoding.escapeUser(user), host: host)
    }

    /// `sip:user@domain`: the stable text key (stores use it).
    public var description: String { "sip:" + PercentEncoding.escapeUser(user) + "@" + domain }

    public static func < (lhs: AOR, rhs: AOR) -> Bool {
        (lhs.domain, lhs.user) < (rhs.domain, rhs.user)
    }
}
