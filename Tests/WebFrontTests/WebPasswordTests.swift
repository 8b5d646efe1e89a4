import Foundation
import Hummingbird
import SIPCore
import SIPServices
import Testing

@testable import WebFront

@Suite("Web passwords and tokens")
struct WebPasswordTests {
    @Test func bcryptChecksTheRightPasswordOnly() async {
        let password = WebPassword(cost: 4)
        let hash = password.hash("correct horse")
        #expect(hash.hasPrefix("$2b$04$") || hash.hasPrefix("$2a$04$") || hash.hasPrefix("$2y$04$"))
        #expect(await password.verify("correct horse", against: hash))
        #expect(await !password.verify("correct horse ", against: hash))
        // No stored hash (unknown user, or no web password yet) never signs in.
        #expect(await !password.verify("correct horse", against: nil))
    }

    @Test func tokensAreBase64URLWithoutPaddingAndDistinct() {
        let tokens = (0..<50).map { _ in SecureToken.make() }
        #expect(Set(tokens).count == 50)
        for token in tokens {
            #expect(token.count == 43)  // 32 bytes
            #expect(token.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
        }
        // RFC 4648 section 10 vectors, in the URL alphabet without padding.
        #expect(SecureToken.base64URL(Array("f".utf8)) == "Zg")
        #expect(SecureToken.base64URL(Array("fo".utf8)) == "Zm8")
        #expect(SecureToken.base64URL(Array("foobar".utf8)) == "Zm9vYmFy")
        #expect(SecureToken.base64URL([0xFB, 0xFF]) == "-_8")
    }

    @Test func sessionUsernamesNameTheirSession() {
        #expect(WebSIPCredentials.authUsername(user: "alice", sessionID: "abc") == "alice#abc")
        #expect(WebSIPCredentials.sessionID(inAuthUsername: "alice#abc") == "abc")
        #expect(WebSIPCredentials.sessionID(inAuthUsername: "alice-phone") == nil)
    }

    @Test func theDirectoryFindsSessionKeysOnlyThroughTheirFlow() throws {
        let devices = InMemoryCredentialDirectory([
            PrivateIdentity.make(
                authUsername: "alice-phone", aor: AOR(user: "alice", domain: "localhost"), kind: .device,
                password: "pw", realm: "localhost")
        ])
        let (store, directory) = try WebSessionRegistryTests.store()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let registry = try WebSessionRegistryTests.registry(store)
        let issued = try registry.open(
            user: "alice", clientHost: "127.0.0.1", userAgent: "Chrome", now: WebSessionRegistryTests.start)
        registry.attach(flow: FlowID(5), sessionID: issued.record.id)
        let combined = SessionCredentialDirectory(
            devices: devices, sessions: registry, clock: { WebSessionRegistryTests.start })
        #expect(combined.privateIdentity(authUsername: "alice-phone", arrivingOn: FlowID(1)) != nil)
        #expect(combined.privateIdentity(authUsername: issued.credentials.authUsername, arrivingOn: FlowID(5)) != nil)
        #expect(combined.privateIdentity(authUsername: issued.credentials.authUsername, arrivingOn: FlowID(1)) == nil)
        #expect(combined.privateIdentity(authUsername: issued.credentials.authUsername) == nil)
        #expect(combined.publicIdentityExists(AOR(user: "alice", domain: "localhost")))
    }

    @Test func aBurstOfSignInsIsAdmittedOnlyUpToTheInFlightCaps() {
        let limiter = SignInLimiter(maxInFlightPerHost: 2, maxInFlight: 3)
        let now = UnixTime(seconds: 1_800_000_000)
        #expect(limiter.admit("10.0.0.1", now: now) == .admitted)
        #expect(limiter.admit("10.0.0.1", now: now) == .admitted)
        #expect(limiter.admit("10.0.0.1", now: now) == .busy)
        #expect(limiter.admit("10.0.0.2", now: now) == .admitted)
        #expect(limiter.admit("10.0.0.3", now: now) == .busy, "the global cap")
        limiter.finish("10.0.0.1", failed: true, now: now)
        #expect(limiter.admit("10.0.0.3", now: now) == .admitted)
    }

    @Test func tenFailuresBanTheAddress() {
        let limiter = SignInLimiter()
        let now = UnixTime(seconds: 1_800_000_000)
        for _ in 0..<10 {
            #expect(limiter.admit("10.0.0.1", now: now) == .admitted)
            limiter.finish("10.0.0.1", failed: true, now: now)
        }
        #expect(limiter.admit("10.0.0.1", now: now) == .banned(retryAfterSeconds: 300))
        #expect(limiter.admit("10.0.0.9", now: now) == .admitted)
    }

    @Test func onlyTheClientItselfIsServed() {
        for path in ["/", "/index.html", "/css/parley.css", "/js/app/main.js", "/js/sip/user-agent.js"] {
            #expect(PublicFilesMiddleware<BasicRequestContext>.isPublic(path), "\(path)")
        }
        for path in [
            "/README.md", "/package.json", "/tests/sip/fakes.js", "/js/.main.js.swp", "/.git/config", "/css/../x",
        ] {
            #expect(!PublicFilesMiddleware<BasicRequestContext>.isPublic(path), "\(path)")
        }
    }
}
