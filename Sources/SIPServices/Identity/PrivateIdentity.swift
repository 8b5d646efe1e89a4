import SIPCore

/// A private identity: the auth username a client proves with digest credentials, and the public
/// identity (AOR) it acts for. Passwords are never stored: only HA1 = H(username ":" realm ":" password)
/// for each algorithm offered (RFC 3261 section 22.4 allows keeping H(A1); RFC 8760 adds SHA-256).
public struct PrivateIdentity: Hashable, Sendable, CustomStringConvertible {
    public enum Kind: Hashable, Sendable {
        /// The user's own account, used by the web client.
        case webAccount
        /// A SIP device (softphone) with its own credentials for the user's public identity.
        case device
    }

    public var authUsername: String
    public var aor: AOR
    public var kind: Kind
    /// MD5 HA1, lower-case hex.
    public var ha1MD5: String
    /// SHA-256 HA1, lower-case hex.
    public var ha1SHA256: String

    public init(authUsername: String, aor: AOR, kind: Kind, ha1MD5: String, ha1SHA256: String) {
        self.authUsername = authUsername
        self.aor = aor
        self.kind = kind
        self.ha1MD5 = ha1MD5
        self.ha1SHA256 = ha1SHA256
    }

    /// Computes both HA1s from a password for `realm`; the password is not kept.
    public static func make(authUsername: String, aor: AOR, kind: Kind, password: String, realm: String)
        -> PrivateIdentity
    {
        PrivateIdentity(
            authUsername: authUsername, aor: aor, kind: kind,
            ha1MD5: DigestComputation.ha1(algorithm: .md5, username: authUsername, realm: realm, password: password),
            ha1SHA256: DigestComputation.ha1(
                algorithm: .sha256, username: authUsername, realm: realm, password: password))
    }

    /// The stored HA1 for an algorithm (a -sess variant starts from the same HA1, RFC 7616 section 3.4.2).
    public func ha1(for algorithm: DigestAlgorithm) -> String {
        switch algorithm {
        case .md5, .md5Session: return ha1MD5
        case .sha256, .sha256Session: return ha1SHA256
        }
    }

    /// Never prints the HA1s: they are password equivalents for their realm.
    public var description: String { "\(authUsername) (\(kind)) for \(aor)" }
}
