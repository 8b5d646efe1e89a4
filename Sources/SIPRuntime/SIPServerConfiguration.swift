import SIPCore
import SIPServices

/// Settings of the SIP runtime; each has a default a small deployment can keep.
public struct SIPServerConfiguration: Sendable {
    /// The domain of the public identities (`sip:NAME@domain`), also the digest realm.
    public var domain: String
    /// Secret for nonces and flow tokens; a fresh random one per process is fine (nonces then expire
    /// at restart, which clients handle with one extra challenge).
    public var secret: [UInt8]
    public var registrar: Registrar.Settings
    public var nonceLifetimeSeconds: Int
    /// Digest algorithms challenged with, preferred first (RFC 8760 section 2.4).
    public var digestAlgorithms: [DigestAlgorithm]
    public var authFailureLimit: AuthFailureLimiter.Settings
    /// Whether the digest `uri` must name the Request-URI (RFC 2617 section 3.2.2.5).
    public var checksDigestURI: Bool
    /// User-Agent prefixes of clients that fail when any challenge but MD5 is offered (libre before 2.x
    /// stops at the first non-MD5 WWW-Authenticate, so baresip 1.x cannot register at all); they get
    /// the MD5 challenge alone.
    public var md5OnlyUserAgents: [String]
    /// The value of the Server and User-Agent headers Parley adds.
    public var product: String

    public init(
        domain: String, secret: [UInt8], registrar: Registrar.Settings = Registrar.Settings(),
        nonceLifetimeSeconds: Int = 300, digestAlgorithms: [DigestAlgorithm] = DigestAuthenticator.defaultAlgorithms,
        authFailureLimit: AuthFailureLimiter.Settings = .init(),
        checksDigestURI: Bool = true, md5OnlyUserAgents: [String] = ["baresip v0.", "baresip v1."],
        product: String = "Parley"
    ) {
        self.checksDigestURI = checksDigestURI
        self.md5OnlyUserAgents = md5OnlyUserAgents
        self.domain = domain
        self.secret = secret
        self.registrar = registrar
        self.nonceLifetimeSeconds = nonceLifetimeSeconds
        self.digestAlgorithms = digestAlgorithms
        self.authFailureLimit = authFailureLimit
        self.product = product
    }
}
