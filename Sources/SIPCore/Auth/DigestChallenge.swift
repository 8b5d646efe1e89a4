/// A Digest challenge from WWW-Authenticate or Proxy-Authenticate (RFC 3261 section 22.4, RFC 7616
/// section 3.3). A server offering several algorithms sends one challenge per algorithm, preferred first
/// (RFC 8760 section 2.4).
public struct DigestChallenge: Hashable, Sendable, CustomStringConvertible {
    public var realm: String
    public var nonce: String
    public var opaque: String?
    public var algorithm: DigestAlgorithm
    /// The qop options offered; empty for an RFC 2069-style challenge.
    public var qopOptions: [String]
    public var stale: Bool

    public init(
        realm: String, nonce: String, opaque: String? = nil, algorithm: DigestAlgorithm = .md5,
        qopOptions: [String] = ["auth"], stale: Bool = false
    ) {
        self.realm = realm
        self.nonce = nonce
        self.opaque = opaque
        self.algorithm = algorithm
        self.qopOptions = qopOptions
        self.stale = stale
    }

    public init(_ value: AuthHeaderValue) throws(SIPParseError) {
        guard value.isDigest, let realm = value.value("realm"), let nonce = value.value("nonce") else {
            throw SIPParseError.badHeader("WWW-Authenticate", "not a Digest challenge with realm and nonce")
        }
        guard let algorithm = DigestAlgorithm(token: value.value("algorithm")) else {
            throw SIPParseError.badHeader("WWW-Authenticate", "unknown algorithm")
        }
        self.realm = realm
        self.nonce = nonce
        self.opaque = value.value("opaque")
        self.algorithm = algorithm
        self.qopOptions = (value.value("qop") ?? "").split(separator: ",").map {
            String($0.filter { $0 != " " && $0 != "\t" })
        }
        self.stale = value.value("stale")?.lowercased() == "true"
    }

    public var headerValue: AuthHeaderValue {
        var parameters = [
            GenericParameter(name: "realm", value: QuotedString.quote(realm)),
            GenericParameter(name: "nonce", value: QuotedString.quote(nonce)),
        ]
        if let opaque { parameters.append(GenericParameter(name: "opaque", value: QuotedString.quote(opaque))) }
        if stale { parameters.append(GenericParameter(name: "stale", value: "TRUE")) }
        parameters.append(GenericParameter(name: "algorithm", value: algorithm.rawValue))
        if !qopOptions.isEmpty {
            parameters.append(
                GenericParameter(name: "qop", value: QuotedString.quote(qopOptions.joined(separator: ","))))
        }
        return AuthHeaderValue(scheme: "Digest", parameters: parameters)
    }

    public var description: String { headerValue.description }
}
