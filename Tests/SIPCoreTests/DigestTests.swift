import SIPCore
import Testing

/// Digest computation against the published vectors (RFC 2617 section 3.5, RFC 7616 section 3.9.1).
@Suite("Digest authentication")
struct DigestTests {
    @Test func rfc2617Example() {
        let ha1 = DigestComputation.ha1(
            algorithm: .md5, username: "Mufasa", realm: "testrealm@host.com", password: "Circle Of Life")
        let response = DigestComputation.response(
            algorithm: .md5, ha1: ha1, nonce: "dcd98b7102dd2f0e8b11d0f600bfb0c093", method: "GET",
            uri: "/dir/index.html", qop: .auth, nonceCount: "00000001", cnonce: "0a4f113b")
        #expect(response == "6629fae49393a05397450978507c4ef1")
    }

    @Test(arguments: [
        (DigestAlgorithm.md5, "8ca523f5e9506fed4657c9700eebdbec"),
        (DigestAlgorithm.sha256, "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1"),
    ])
    func rfc7616Example(algorithm: DigestAlgorithm, expected: String) {
        let ha1 = DigestComputation.ha1(
            algorithm: algorithm, username: "Mufasa", realm: "http-auth@example.org", password: "Circle of Life")
        let response = DigestComputation.response(
            algorithm: algorithm, ha1: ha1, nonce: "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", method: "GET",
            uri: "/dir/index.html", qop: .auth, nonceCount: "00000001",
            cnonce: "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ")
        #expect(response == expected)
    }

    @Test func credentialsRoundTripThroughTheHeader() throws {
        let header = """
            Digest username="alice", realm="localhost", nonce="abc123", uri="sip:localhost", \
            response="0123456789abcdef0123456789abcdef", algorithm=SHA-256, cnonce="xyz", qop=auth, nc=00000001, \
            opaque="op"
            """
        let value = try AuthHeaderValue(parsing: header)
        let credentials = try DigestCredentials(value)
        #expect(credentials.username == "alice")
        #expect(credentials.algorithm == .sha256)
        #expect(credentials.qop == .auth)
        #expect(credentials.nonceCount == "00000001")
        #expect(credentials.opaque == "op")
        let reparsed = try DigestCredentials(try AuthHeaderValue(parsing: credentials.headerValue.headerValue))
        #expect(reparsed == credentials)
        #expect(!credentials.description.contains("0123456789abcdef"))
    }

    @Test func serverCheckMatchesAClientComputation() throws {
        let ha1 = DigestComputation.ha1(algorithm: .sha256, username: "bob", realm: "parley", password: "s3cret")
        let response = DigestComputation.response(
            algorithm: .sha256, ha1: ha1, nonce: "n1", method: "REGISTER", uri: "sip:parley", qop: .auth,
            nonceCount: "00000002", cnonce: "c1")
        let credentials = DigestCredentials(
            username: "bob", realm: "parley", nonce: "n1", uri: "sip:parley", response: response.uppercased(),
            algorithm: .sha256, cnonce: "c1", qop: .auth, nonceCount: "00000002")
        #expect(credentials.responseMatches(credentials.expectedResponse(ha1: ha1, method: .register)))
        let wrong = DigestComputation.ha1(algorithm: .sha256, username: "bob", realm: "parley", password: "guess")
        #expect(!credentials.responseMatches(credentials.expectedResponse(ha1: wrong, method: .register)))
    }

    @Test func sessionVariantRehashesWithTheNonces() {
        let ha1 = DigestComputation.ha1(algorithm: .md5Session, username: "u", realm: "r", password: "p")
        let plain = DigestComputation.response(
            algorithm: .md5, ha1: ha1, nonce: "n", method: "INVITE", uri: "sip:x", qop: .auth, nonceCount: "00000001",
            cnonce: "c")
        let session = DigestComputation.response(
            algorithm: .md5Session, ha1: ha1, nonce: "n", method: "INVITE", uri: "sip:x", qop: .auth,
            nonceCount: "00000001", cnonce: "c")
        #expect(plain != session)
        #expect(DigestComputation.sessionHA1(algorithm: .md5Session, ha1: ha1, nonce: "n", cnonce: "c") != ha1)
    }

    @Test func challengesOfferBothAlgorithms() throws {
        let challenges = [DigestAlgorithm.sha256, .md5].map {
            DigestChallenge(realm: "localhost", nonce: "n0nce", opaque: "o", algorithm: $0)
        }
        for challenge in challenges {
            let parsed = try DigestChallenge(try AuthHeaderValue(parsing: challenge.headerValue.headerValue))
            #expect(parsed == challenge)
        }
        #expect(challenges[0].headerValue.headerValue.contains("algorithm=SHA-256"))
        #expect(challenges[0].headerValue.headerValue.contains("qop=\"auth\""))
    }

    @Test func unknownSchemeParsesButIsNotDigest() throws {
        let value = try AuthHeaderValue(parsing: "NoOneKnowsThisScheme opaque-data=here")
        #expect(!value.isDigest)
        #expect(throws: SIPParseError.self) { try DigestCredentials(value) }
    }

    @Test(arguments: ["Digest username=", "Digest username=\"a", "Digest =x", "Digest a=b,,"])
    func malformedAuthHeadersAreRejected(_ text: String) {
        #expect(throws: SIPParseError.self) { try AuthHeaderValue(parsing: text) }
    }

    @Test func missingAlgorithmMeansMD5AndUnknownIsRejected() {
        #expect(DigestAlgorithm(token: nil) == .md5)
        #expect(DigestAlgorithm(token: "sha-256") == .sha256)
        #expect(DigestAlgorithm(token: "SHA-512-256") == nil)
    }
}
