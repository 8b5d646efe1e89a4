import NIOCore
import SIPCore
import SIPServices
import Testing

@Suite("Digest authenticator")
struct DigestAuthenticatorTests {
    static let secret: [UInt8] = Array("server-secret-for-tests-32-bytes".utf8)

    static func authenticator(seed: UInt64 = 7) -> DigestAuthenticator {
        DigestAuthenticator(realm: "localhost", secret: secret, random: SplitMix64(seed: seed))
    }

    /// What a client computes from a challenge.
    static func answer(
        _ challenge: DigestChallenge, username: String = "alice", password: String = "secret",
        uri: String = "sip:localhost", method: SIPMethod = .register, nc: String? = "00000001",
        cnonce: String = "0a4f113b"
    ) -> DigestCredentials {
        let ha1 = DigestComputation.ha1(
            algorithm: challenge.algorithm, username: username, realm: challenge.realm, password: password)
        let qop: DigestComputation.QualityOfProtection? = nc == nil ? nil : .auth
        let response = DigestComputation.response(
            algorithm: challenge.algorithm, ha1: ha1, nonce: challenge.nonce, method: method.rawValue, uri: uri,
            qop: qop, nonceCount: nc ?? "", cnonce: nc == nil ? "" : cnonce)
        return DigestCredentials(
            username: username, realm: challenge.realm, nonce: challenge.nonce, uri: uri, response: response,
            algorithm: challenge.algorithm, cnonce: nc == nil ? nil : cnonce, qop: qop, nonceCount: nc)
    }

    @Test func challengesOfferSHA256ThenMD5WithQopAuth() throws {
        var authenticator = Self.authenticator()
        let challenges = authenticator.challenges(now: Fixtures.now, stale: false)
        #expect(challenges.map(\.algorithm) == [.sha256, .md5])
        #expect(challenges.allSatisfy { $0.qopOptions == ["auth"] && $0.realm == "localhost" && !$0.stale })
        #expect(challenges[0].nonce == challenges[1].nonce)
        let text = challenges[0].headerValue.headerValue
        #expect(text.contains("algorithm=SHA-256"))
        #expect(text.contains("qop=\"auth\""))
        let stale = authenticator.challenges(now: Fixtures.now, stale: true)
        #expect(stale.allSatisfy { $0.stale })
        #expect(stale[0].headerValue.headerValue.contains("stale=TRUE"))
        #expect(stale[0].nonce != challenges[0].nonce)
    }

    @Test(arguments: [0, 1])
    func rightPasswordAuthenticates(challengeIndex: Int) {
        var authenticator = Self.authenticator()
        let challenge = authenticator.challenges(now: Fixtures.now)[challengeIndex]
        let verdict = authenticator.verify(
            Self.answer(challenge), method: .register, requestURI: "sip:localhost", identity: Fixtures.aliceWeb,
            now: Fixtures.now + 2)
        #expect(verdict == .authenticated(Fixtures.aliceWeb))
    }

    @Test func unknownUserAndWrongPasswordLookTheSame() {
        var authenticator = Self.authenticator()
        let challenge = authenticator.challenges(now: Fixtures.now)[0]
        let wrongPassword = authenticator.verify(
            Self.answer(challenge, password: "guess"), method: .register, requestURI: "sip:localhost",
            identity: Fixtures.aliceWeb, now: Fixtures.now)
        let unknownUser = authenticator.verify(
            Self.answer(challenge, username: "mallory", password: "guess"), method: .register,
            requestURI: "sip:localhost", identity: nil, now: Fixtures.now)
        #expect(wrongPassword == .rejected(.badCredentials))
        #expect(unknownUser == wrongPassword)
        // An identity that is not the one named in the credentials is no identity.
        let mismatched = authenticator.verify(
            Self.answer(challenge, username: "bob", password: "hunter2"), method: .register,
            requestURI: "sip:localhost", identity: Fixtures.aliceWeb, now: Fixtures.now)
        #expect(mismatched == wrongPassword)
    }

    @Test func sameNonceCountTwiceIsAReplay() {
        var authenticator = Self.authenticator()
        let challenge = authenticator.challenges(now: Fixtures.now)[0]
        func verify(_ nc: String) -> DigestVerdict {
            authenticator.verify(
                Self.answer(challenge, nc: nc), method: .register, requestURI: "sip:localhost",
                identity: Fixtures.aliceWeb, now: Fixtures.now + 1)
        }
        #expect(verify("00000001") == .authenticated(Fixtures.aliceWeb))
        #expect(verify("00000001") == .rejected(.replayed))
        #expect(verify("00000002") == .authenticated(Fixtures.aliceWeb))
        #expect(verify("0000000a") == .authenticated(Fixtures.aliceWeb))
        #expect(verify("00000009") == .rejected(.replayed))
    }

    @Test func aForgedRequestCannotBurnNonceCounts() {
        var authenticator = Self.authenticator()
        let challenge = authenticator.challenges(now: Fixtures.now)[0]
        var forged = Self.answer(challenge, nc: "ffffffff")
        forged.response = String(repeating: "0", count: 64)
        #expect(
            authenticator.verify(
                forged, method: .register, requestURI: "sip:localhost", identity: Fixtures.aliceWeb,
                now: Fixtures.now) == .rejected(.badCredentials))
        #expect(
            authenticator.verify(
                Self.answer(challenge), method: .register, requestURI: "sip:localhost",
                identity: Fixtures.aliceWeb, now: Fixtures.now) == .authenticated(Fixtures.aliceWeb))
    }

    @Test func withoutQopANonceWorksOnce() {
        var authenticator = Self.authenticator()
        let challenge = authenticator.challenges(now: Fixtures.now)[1]
        let credentials = Self.answer(challenge, nc: nil)
        #expect(credentials.qop == nil)
        #expect(
            authenticator.verify(
                credentials, method: .register, requestURI: "sip:localhost", identity: Fixtures.aliceWeb,
                now: Fixtures.now) == .authenticated(Fixtures.aliceWeb))
        #expect(
            authenticator.verify(
                credentials, method: .register, requestURI: "sip:localhost", identity: Fixtures.aliceWeb,
                now: Fixtures.now) == .rejected(.replayed))
    }

    @Test func oldNonceWithRightPasswordIsStaleAndWithWrongPasswordRejected() {
        var authenticator = Self.authenticator()
        let challenge = authenticator.challenges(now: Fixtures.now)[0]
        let late = Fixtures.now + 301
        #expect(
            authenticator.verify(
                Self.answer(challenge), method: .register, requestURI: "sip:localhost",
                identity: Fixtures.aliceWeb, now: late) == .stale)
        #expect(
            authenticator.verify(
                Self.answer(challenge, password: "guess"), method: .register, requestURI: "sip:localhost",
                identity: Fixtures.aliceWeb, now: late) == .rejected(.badCredentials))
    }

    @Test func nonceFromAnotherServerIsInvalid() {
        var other = DigestAuthenticator(realm: "localhost", secret: Array("other".utf8), random: SplitMix64())
        let challenge = other.challenges(now: Fixtures.now)[0]
        var authenticator = Self.authenticator()
        #expect(
            authenticator.verify(
                Self.answer(challenge), method: .register, requestURI: "sip:localhost",
                identity: Fixtures.aliceWeb, now: Fixtures.now) == .rejected(.invalidNonce))
    }

    @Test func digestURIMustNameTheRequestURI() {
        var authenticator = Self.authenticator()
        let challenge = authenticator.challenges(now: Fixtures.now)[0]
        #expect(
            authenticator.verify(
                Self.answer(challenge, uri: "sip:elsewhere.example.com"), method: .register,
                requestURI: "sip:localhost", identity: Fixtures.aliceWeb, now: Fixtures.now) == .rejected(.uriMismatch))
        // The same URI spelled differently (RFC 3261 section 19.1.4) is accepted.
        #expect(
            authenticator.verify(
                Self.answer(challenge, uri: "sip:LOCALHOST"), method: .register, requestURI: "sip:localhost",
                identity: Fixtures.aliceWeb, now: Fixtures.now) == .authenticated(Fixtures.aliceWeb))
    }

    @Test func methodIsPartOfTheDigest() {
        var authenticator = Self.authenticator()
        let challenge = authenticator.challenges(now: Fixtures.now)[0]
        #expect(
            authenticator.verify(
                Self.answer(challenge, method: .invite), method: .register, requestURI: "sip:localhost",
                identity: Fixtures.aliceWeb, now: Fixtures.now) == .rejected(.badCredentials))
    }

    @Test func realmAlgorithmAndCountAreChecked() {
        var authenticator = Self.authenticator()
        let challenge = authenticator.challenges(now: Fixtures.now)[1]
        var otherRealm = Self.answer(challenge)
        otherRealm.realm = "example.com"
        var session = Self.answer(challenge)
        session.algorithm = .md5Session
        var badCount = Self.answer(challenge, nc: "1")
        badCount.nonceCount = "1"
        let zeroCount = Self.answer(challenge, nc: "00000000")
        var authInt = Self.answer(challenge)
        authInt.qop = .authInt
        let cases: [(DigestCredentials, DigestVerdict)] = [
            (otherRealm, .rejected(.realmMismatch)),
            (session, .rejected(.unsupportedAlgorithm)),
            (badCount, .rejected(.malformed)),
            (zeroCount, .rejected(.malformed)),
            (authInt, .rejected(.unsupportedQop)),
        ]
        for (credentials, expected) in cases {
            let verdict = authenticator.verify(
                credentials, method: .register, requestURI: "sip:localhost", identity: Fixtures.aliceWeb,
                now: Fixtures.now)
            #expect(verdict == expected)
        }
    }

    @Test func opaqueMustComeBackWhenSent() {
        var authenticator = DigestAuthenticator(
            realm: "localhost", secret: Self.secret, opaque: "op4que", random: SplitMix64())
        let challenge = authenticator.challenges(now: Fixtures.now)[0]
        #expect(challenge.opaque == "op4que")
        var without = Self.answer(challenge)
        #expect(
            authenticator.verify(
                without, method: .register, requestURI: "sip:localhost", identity: Fixtures.aliceWeb,
                now: Fixtures.now) == .rejected(.malformed))
        without.opaque = "op4que"
        #expect(
            authenticator.verify(
                without, method: .register, requestURI: "sip:localhost", identity: Fixtures.aliceWeb,
                now: Fixtures.now) == .authenticated(Fixtures.aliceWeb))
    }

    /// The whole exchange as a softphone does it: 401 challenge, then a REGISTER with Authorization,
    /// parsed from SIP text.
    @Test func registerWithAuthorizationParsedFromText() throws {
        var authenticator = Self.authenticator()
        let challenge = authenticator.challenges(now: Fixtures.now)[1]
        let credentials = Self.answer(challenge, uri: "sip:localhost;transport=udp")
        let request = try Fixtures.request(
            [
                "REGISTER sip:localhost;transport=udp SIP/2.0",
                "Via: SIP/2.0/UDP 127.0.0.1:5080;branch=z9hG4bKc2e3a86ad7e4f3c6;rport",
                "Contact: <sip:alice-0x56457ab7eaf0@127.0.0.1:5080>;expires=600",
                "Max-Forwards: 70",
                "Authorization: \(credentials.headerValue.headerValue)",
                "To: <sip:alice@localhost>",
                "From: <sip:alice@localhost>;tag=6a0f26fe4880b51a",
                "Call-ID: 4058cd888bbc9063",
                "CSeq: 42025 REGISTER",
                "Content-Length: 0",
                "", "",
            ].joined(separator: "\r\n"))
        let header = try #require(try request.headers.authorization.first)
        let parsed = try DigestCredentials(header)
        let directory = InMemoryCredentialDirectory([Fixtures.aliceWeb])
        let verdict = authenticator.verify(
            parsed, method: request.method, requestURI: request.uri.description,
            identity: directory.privateIdentity(authUsername: parsed.username), now: Fixtures.now + 1)
        #expect(verdict == .authenticated(Fixtures.aliceWeb))
    }
}
