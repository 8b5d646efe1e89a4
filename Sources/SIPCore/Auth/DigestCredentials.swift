/// Digest credentials from Authorization or Proxy-Authorization (RFC 3261 section 22.4, RFC 7616
/// section 3.4).
public struct DigestCredentials: Hashable, Sendable, CustomStringConvertible {
    public var username: String
    public var realm: String
    public var nonce: String
    public var uri: String
    public var response: String
    public var algorithm: DigestAlgorithm
    public var cnonce: String?
    public var opaque: String?
    public var qop: DigestComputation.QualityOfProtection?
    /// nc: eight hex digits, as sent.
    public var nonceCount: String?

    public init(
        username: String, realm: String, nonce: String, uri: String, response: String,
        algorithm: DigestAlgorithm = .md5, cnonce: String? = nil, opaque: String? = nil,
        qop: DigestComputation.QualityOfProtection? = nil, nonceCount: String? = nil
    ) {
        self.username = username
        self.realm = realm
        self.nonce = nonce
        self.uri = uri
        self.response = response
        self.algorithm = algorithm
        self.cnonce = cnonce
        self.opaque = opaque
        self.qop = qop
        self.nonceCount = nonceCount
    }

    public init(_ value: AuthHeaderValue) throws(SIPParseError) {
        func bad(_ detail: String) -> SIPParseError { SIPParseError.badHeader("Authorization", detail) }
        guard value.isDigest else { throw bad("not Digest") }
        guard let username = value.value("username"), let realm = value.value("realm"),
            let nonce = value.value("nonce"), let uri = value.value("uri"), let response = value.value("response")
        else { throw bad("missing username, realm, nonce, uri or response") }
        guard let algorithm = DigestAlgorithm(token: value.value("algorithm")) else {
            throw bad("unknown algorithm")
        }
        var qop: DigestComputation.QualityOfProtection?
        if let token = value.value("qop") {
            guard let parsed = DigestComputation.QualityOfProtection(rawValue: token.lowercased()) else {
                throw bad("unknown qop")
            }
            qop = parsed
        }
        // With qop, cnonce and nc are required (RFC 7616 section 3.4).
        let cnonce = value.value("cnonce")
        let nonceCount = value.value("nc")
        if qop != nil, cnonce == nil || nonceCount == nil { throw bad("qop without cnonce or nc") }
        self.init(
            username: username, realm: realm, nonce: nonce, uri: uri, response: response, algorithm: algorithm,
            cnonce: cnonce, opaque: value.value("opaque"), qop: qop, nonceCount: nonceCount)
    }

    /// The response a client holding `ha1` would compute for this request; a server compares it with
    /// `response` in constant time.
    public func expectedResponse(ha1: String, method: SIPMethod, bodyHash: String? = nil) -> String {
        DigestComputation.response(
            algorithm: algorithm, ha1: ha1, nonce: nonce, method: method.rawValue, uri: uri, qop: qop,
            nonceCount: nonceCount ?? "", cnonce: cnonce ?? "", bodyHash: bodyHash)
    }

    /// Compares the sent response with `expected` without an early exit, so timing tells nothing.
    public func responseMatches(_ expected: String) -> Bool {
        ConstantTime.equal(response.lowercased().utf8, expected.utf8)
    }

    public var headerValue: AuthHeaderValue {
        var parameters = [
            GenericParameter(name: "username", value: QuotedString.quote(username)),
            GenericParameter(name: "realm", value: QuotedString.quote(realm)),
            GenericParameter(name: "nonce", value: QuotedString.quote(nonce)),
            GenericParameter(name: "uri", value: QuotedString.quote(uri)),
            GenericParameter(name: "response", value: QuotedString.quote(response)),
            GenericParameter(name: "algorithm", value: algorithm.rawValue),
        ]
        if let cnonce { parameters.append(GenericParameter(name: "cnonce", value: QuotedString.quote(cnonce))) }
        if let opaque { parameters.append(GenericParameter(name: "opaque", value: QuotedString.quote(opaque))) }
        if let qop { parameters.append(GenericParameter(name: "qop", value: qop.rawValue)) }
        if let nonceCount { parameters.append(GenericParameter(name: "nc", value: nonceCount)) }
        return AuthHeaderValue(scheme: "Digest", parameters: parameters)
    }

    /// Never prints the response.
    public var description: String { "Digest username=\(username) realm=\(realm) algorithm=\(algorithm.rawValue)" }
}
