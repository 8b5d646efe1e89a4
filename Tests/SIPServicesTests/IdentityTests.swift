import NIOCore
import SIPCore
import SIPServices
import Testing

@Suite("Addresses of record")
struct AORTests {
    @Test func dropsPortAndParametersAndLowerCasesTheDomain() throws {
        let aor = try #require(AOR(uri: try URI(parsing: "sip:alice@LocalHost:5060;transport=tcp;user=phone")))
        #expect(aor == Fixtures.alice)
        #expect(aor.user == "alice")
        #expect(aor.domain == "localhost")
        #expect(aor.description == "sip:alice@localhost")
        #expect(aor.uri.description == "sip:alice@localhost")
    }

    @Test func comparesTheUnescapedUser() throws {
        // RFC 3261 section 19.1.4: %61 is "a".
        let escaped = try #require(AOR(parsing: "sip:%61lice@localhost"))
        #expect(escaped == Fixtures.alice)
        #expect(escaped.user == "alice")
    }

    @Test func userIsCaseSensitiveAndDomainIsNot() {
        #expect(AOR(parsing: "sip:Alice@localhost") != Fixtures.alice)
        #expect(AOR(parsing: "sip:alice@LOCALHOST") == Fixtures.alice)
        #expect(AOR(user: "alice", domain: "LocalHost") == Fixtures.alice)
    }

    @Test func sipsNamesTheSameAOR() {
        #expect(AOR(parsing: "sips:alice@localhost") == Fixtures.alice)
    }

    @Test func needsASIPURIWithAUser() {
        #expect(AOR(parsing: "sip:localhost") == nil)
        #expect(AOR(parsing: "tel:+15555550100") == nil)
        #expect(AOR(parsing: "mailto:alice@localhost") == nil)
        #expect(AOR(parsing: "not a uri") == nil)
    }

    @Test func escapesTheUserAgainWhenWritten() throws {
        let aor = AOR(user: "a b", domain: "example.com")
        #expect(aor.description == "sip:a%20b@example.com")
        #expect(AOR(parsing: aor.description) == aor)
        #expect(AOR(sipURI: aor.uri) == aor)
    }

    @Test func ipv6DomainsKeepBrackets() throws {
        let aor = try #require(AOR(parsing: "sip:alice@[2001:DB8::1]:5060"))
        #expect(aor.domain == "[2001:db8::1]")
        #expect(aor.uri.host == .ipv6("2001:db8::1"))
    }
}

@Suite("Private identities")
struct PrivateIdentityTests {
    @Test func ha1MatchesRFC2617() {
        // RFC 2617 section 3.5.
        let identity = PrivateIdentity.make(
            authUsername: "Mufasa", aor: AOR(user: "mufasa", domain: "host.com"), kind: .webAccount,
            password: "Circle Of Life", realm: "testrealm@host.com")
        #expect(identity.ha1MD5 == "939e7578ed9e3c518a452acee763bce9")
        let response = DigestComputation.response(
            algorithm: .md5, ha1: identity.ha1MD5, nonce: "dcd98b7102dd2f0e8b11d0f600bfb0c093", method: "GET",
            uri: "/dir/index.html", qop: .auth, nonceCount: "00000001", cnonce: "0a4f113b")
        #expect(response == "6629fae49393a05397450978507c4ef1")
    }

    @Test func ha1MatchesRFC7616() {
        // RFC 7616 section 3.9.1, both algorithms.
        let identity = PrivateIdentity.make(
            authUsername: "Mufasa", aor: AOR(user: "mufasa", domain: "example.org"), kind: .device,
            password: "Circle of Life", realm: "http-auth@example.org")
        #expect(identity.ha1MD5 == "3d78807defe7de2157e2b0b6573a855f")
        #expect(identity.ha1SHA256 == "7987c64c30e25f1b74be53f966b49b90f2808aa92faf9a00262392d7b4794232")
        for (algorithm, expected) in [
            (DigestAlgorithm.md5, "8ca523f5e9506fed4657c9700eebdbec"),
            (.sha256, "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1"),
        ] {
            let response = DigestComputation.response(
                algorithm: algorithm, ha1: identity.ha1(for: algorithm),
                nonce: "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", method: "GET", uri: "/dir/index.html",
                qop: .auth, nonceCount: "00000001", cnonce: "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ")
            #expect(response == expected)
        }
    }

    @Test func aliceSecretLocalhost() {
        #expect(Fixtures.aliceWeb.ha1MD5 == "c4bd012dfa61b3000723c206d202a63c")
        #expect(Fixtures.aliceWeb.ha1SHA256 == "4066ce93701eff4db2308f36f253f94c5c407070ef5352a76aabde09e65543e8")
        #expect(Fixtures.aliceWeb.ha1(for: .md5Session) == Fixtures.aliceWeb.ha1MD5)
    }

    /// The loopback captures: alice/secret, realm localhost, MD5 with qop=auth.
    @Test(arguments: [
        (
            "sip:localhost;transport=udp",
            """
            Digest username="alice", realm="localhost", nonce="c021cc129691d5b53f507527ed99503d", \
            uri="sip:localhost;transport=udp", response="7f2af33e82023dff0ef91e9cb9d9508a", \
            cnonce="64276bda66c17d97", qop=auth, nc=00000001
            """
        ),
        (
            "sip:localhost",
            """
            Digest realm="localhost", nonce="9c964590ecb17ea3db8d2d9022e40849", algorithm=MD5, username="alice", \
             uri="sip:localhost", response="67c31677da7229f1f5ab589d7f984049", cnonce="IlY1NRV0c4lR-W7I", \
            nc=00000001, qop=auth
            """
        ),
    ])
    func capturedSoftphoneResponsesVerifyAgainstTheStoredHA1(requestURI: String, header: String) throws {
        let credentials = try DigestCredentials(try AuthHeaderValue(parsing: header))
        #expect(credentials.uri == requestURI)
        let identity = Fixtures.aliceWeb
        #expect(credentials.responseMatches(credentials.expectedResponse(ha1: identity.ha1MD5, method: .register)))
        let wrong = PrivateIdentity.make(
            authUsername: "alice", aor: Fixtures.alice, kind: .webAccount, password: "Secret", realm: "localhost")
        #expect(!credentials.responseMatches(credentials.expectedResponse(ha1: wrong.ha1MD5, method: .register)))
    }

    @Test func descriptionHidesTheHA1s() {
        let text = Fixtures.aliceWeb.description
        #expect(text.contains("alice"))
        #expect(!text.contains(Fixtures.aliceWeb.ha1MD5))
        #expect(!text.contains(Fixtures.aliceWeb.ha1SHA256))
    }

    @Test func identitiesActOnlyForTheirOwnAOR() {
        #expect(RequestAuthorization.mayRegister(identity: Fixtures.alicePhone, toAOR: Fixtures.alice))
        #expect(!RequestAuthorization.mayRegister(identity: Fixtures.alicePhone, toAOR: Fixtures.bob))
        #expect(RequestAuthorization.mayAssert(identity: Fixtures.aliceWeb, fromAOR: Fixtures.alice))
        #expect(!RequestAuthorization.mayAssert(identity: Fixtures.alicePhone, fromAOR: Fixtures.bob))
    }

    @Test func inMemoryDirectoryFindsIdentitiesAndTheirAORs() {
        let directory = InMemoryCredentialDirectory([Fixtures.aliceWeb, Fixtures.alicePhone])
        #expect(directory.privateIdentity(authUsername: "alice-phone") == Fixtures.alicePhone)
        #expect(directory.privateIdentity(authUsername: "mallory") == nil)
        #expect(directory.publicIdentityExists(Fixtures.alice))
        #expect(!directory.publicIdentityExists(Fixtures.bob))
    }
}

@Suite("SIP URI comparison")
struct SIPURIEquivalenceTests {
    static func equivalent(_ lhs: String, _ rhs: String) throws -> Bool {
        SIPURIEquivalence.equivalent(try URI(parsing: lhs), try URI(parsing: rhs))
    }

    // RFC 3261 section 19.1.4, the examples of equivalent URIs.
    @Test(arguments: [
        ("sip:%61lice@atlanta.com;transport=TCP", "sip:alice@AtLanTa.CoM;Transport=tcp"),
        ("sip:carol@chicago.com", "sip:carol@chicago.com;newparam=5"),
        ("sip:carol@chicago.com", "sip:carol@chicago.com;security=on"),
        ("sip:biloxi.com;transport=tcp;method=REGISTER?to=sip:bob%40biloxi.com",
         "sip:biloxi.com;method=REGISTER;transport=tcp?to=sip:bob%40biloxi.com"),
        ("sip:alice@atlanta.com?subject=project%20x&priority=urgent",
         "sip:alice@atlanta.com?priority=urgent&subject=project%20x"),
    ])
    func equivalentExamples(lhs: String, rhs: String) throws {
        #expect(try Self.equivalent(lhs, rhs))
        #expect(try Self.equivalent(rhs, lhs))
    }

    // RFC 3261 section 19.1.4, the examples of URIs that differ.
    @Test(arguments: [
        ("SIP:ALICE@AtLanTa.CoM;Transport=udp", "sip:alice@AtLanTa.CoM;Transport=UDP"),
        ("sip:bob@biloxi.com", "sip:bob@biloxi.com:5060"),
        ("sip:bob@biloxi.com", "sip:bob@biloxi.com;transport=udp"),
        ("sip:bob@biloxi.com", "sip:bob@biloxi.com:6000;transport=tcp"),
        ("sip:carol@chicago.com", "sip:carol@chicago.com?Subject=next%20meeting"),
        ("sip:bob@phone21.boxesbybob.com", "sip:bob@192.0.2.4"),
        ("sip:alice@localhost", "sips:alice@localhost"),
    ])
    func differingExamples(lhs: String, rhs: String) throws {
        #expect(try !Self.equivalent(lhs, rhs))
        #expect(try !Self.equivalent(rhs, lhs))
    }
}
