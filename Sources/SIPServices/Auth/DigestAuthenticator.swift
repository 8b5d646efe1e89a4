import SIPCore

/// Digest authentication decisions for one realm (RFC 3261 section 22, RFC 7616, RFC 8760). Owns the
/// nonce service and the replay table; the caller looks the private identity up (by
/// `credentials.username`) and passes it in, nil when unknown.
public struct DigestAuthenticator {
    /// RFC 8760 section 2.4: one challenge per algorithm, most preferred first.
    /// RFC 8760 section 2.4: the preferred algorithm first. Some clients (sipp among them) answer the
    /// topmost challenge whatever its algorithm, hence a setting.
    public static let defaultAlgorithms: [DigestAlgorithm] = [.sha256, .md5]
    /// The algorithms challenged with, in order of preference.
    public let algorithms: [DigestAlgorithm]
    /// RFC 2617 section 3.2.2.5: the digest `uri` must name the Request-URI. Off only for clients that
    /// cannot do it (sipp puts one fixed URI in every request's credentials); nonce counts still stop
    /// replays.
    public let checksDigestURI: Bool

    public let realm: String
    /// Sent in challenges when set, and then required back unchanged (RFC 7616 section 3.3).
    public var opaque: String?
    public private(set) var nonces: NonceService
    public private(set) var tracker: NonceCountTracker
    private let dummyHA1MD5: String
    private let dummyHA1SHA256: String

    public init(
        realm: String, secret: [UInt8], nonceLifetimeSeconds: Int = 300, maxTrackedNonces: Int = 100_000,
        opaque: String? = nil, algorithms: [DigestAlgorithm] = Self.defaultAlgorithms, checksDigestURI: Bool = true,
        random: any RandomNumberGenerator
    ) {
        self.checksDigestURI = checksDigestURI
        self.realm = realm
        self.algorithms = algorithms.isEmpty ? Self.defaultAlgorithms : algorithms
        self.opaque = opaque
        self.nonces = NonceService(
            realm: realm, secret: secret, lifetimeSeconds: nonceLifetimeSeconds, random: random)
        self.tracker = NonceCountTracker(capacity: maxTrackedNonces, lifetimeSeconds: nonceLifetimeSeconds)
        // Unknown users are checked against an HA1 nobody can know, so they cost the same work as a
        // wrong password and end in the same verdict.
        let seed = LowercaseHex.encode(secret) + ":unknown-user:" + realm
        self.dummyHA1MD5 = DigestAlgorithm.md5.hash(seed)
        self.dummyHA1SHA256 = DigestAlgorithm.sha256.hash(seed)
    }

    /// The challenges for a 401 or 407: SHA-256 first, then MD5, one fresh nonce, qop="auth"
    /// (RFC 8760 section 2.4, RFC 7616 section 3.3).
    public mutating func challenges(now: UnixTime, stale: Bool = false) -> [DigestChallenge] {
        let nonce = nonces.mint(now: now)
        return algorithms.map { algorithm in
            DigestChallenge(
                realm: realm, nonce: nonce, opaque: opaque, algorithm: algorithm, qopOptions: ["auth"], stale: stale)
        }
    }

    /// Checks credentials for a request. `requestURI` is the Request-URI as text; `identity` is the
    /// private identity named by `credentials.username`, or nil when there is none.
    public mutating func verify(
        _ credentials: DigestCredentials, method: SIPMethod, requestURI: String, identity: PrivateIdentity?,
        now: UnixTime
    ) -> DigestVerdict {
        // RFC 7616 section 3.4: the realm is the one we challenged with.
        guard credentials.realm == realm else { return .rejected(.realmMismatch) }
        // RFC 8760 section 2.4: only what was offered.
        guard algorithms.contains(credentials.algorithm) else {
            return .rejected(.unsupportedAlgorithm)
        }
        // Only qop=auth is offered; no qop at all is RFC 2069 compatibility (single use, below).
        var nonceCount: UInt32?
        switch credentials.qop {
        case .authInt?:
            return .rejected(.unsupportedQop)
        case .auth?:
            // RFC 7616 section 3.4: nc is 8LHEX, and the first request with a nonce sends 00000001.
            guard let text = credentials.nonceCount, let count = Self.parseNonceCount(text), count > 0 else {
                return .rejected(.malformed)
            }
            nonceCount = count
        case nil:
            break
        }
        if let opaque, credentials.opaque != opaque { return .rejected(.malformed) }
        // RFC 3261 section 22.4 and RFC 2617 section 3.2.2.5: the digest-uri must name the Request-URI,
        // or credentials captured for one request could be replayed against another.
        guard !checksDigestURI || Self.uriMatches(credentials.uri, requestURI: requestURI) else {
            return .rejected(.uriMismatch)
        }

        let issuedAt: UnixTime
        var isStale = false
        switch nonces.check(credentials.nonce, now: now) {
        case .invalid:
            return .rejected(.invalidNonce)
        case .stale(let time):
            issuedAt = time
            isStale = true
        case .valid(let time):
            issuedAt = time
        }

        // The same computation whether or not the user exists (constant-time compare included).
        let known = identity.flatMap { $0.authUsername == credentials.username ? $0 : nil }
        let ha1 = known?.ha1(for: credentials.algorithm) ?? dummyHA1(for: credentials.algorithm)
        let matches = credentials.responseMatches(credentials.expectedResponse(ha1: ha1, method: method))
        guard matches, let known else { return .rejected(.badCredentials) }

        // RFC 7616 section 3.3: right credentials on an old nonce: stale=true.
        if isStale { return .stale }
        switch tracker.use(nonce: credentials.nonce, issuedAt: issuedAt, nonceCount: nonceCount, now: now) {
        case .accepted: return .authenticated(known)
        case .replayed: return .rejected(.replayed)
        case .forgotten: return .stale
        }
    }

    private func dummyHA1(for algorithm: DigestAlgorithm) -> String {
        switch algorithm {
        case .md5, .md5Session: return dummyHA1MD5
        case .sha256, .sha256Session: return dummyHA1SHA256
        }
    }

    /// nc = 8LHEX (RFC 7616 section 3.4); upper-case digits are accepted too.
    static func parseNonceCount(_ text: String) -> UInt32? {
        let utf8 = Array(text.utf8)
        guard utf8.count == 8 else { return nil }
        var value: UInt32 = 0
        for c in utf8 {
            let digit: UInt32
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(c - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(c - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(c - UInt8(ascii: "A") + 10)
            default: return nil
            }
            value = value << 4 | digit
        }
        return value
    }

    /// Same text, or the same URI by RFC 3261 section 19.1.4.
    static func uriMatches(_ digestURI: String, requestURI: String) -> Bool {
        if digestURI == requestURI { return true }
        guard let sent = try? URI(parsing: digestURI), let request = try? URI(parsing: requestURI) else {
            return false
        }
        return SIPURIEquivalence.equivalent(sent, request)
    }
}
