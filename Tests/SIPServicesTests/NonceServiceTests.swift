@testable import SIPServices
import Testing

@Suite("Nonces")
struct NonceServiceTests {
    static let secret: [UInt8] = Array("0123456789abcdef0123456789abcdef".utf8)

    static func service(realm: String = "localhost", secret: [UInt8] = secret, seed: UInt64 = 1) -> NonceService {
        NonceService(realm: realm, secret: secret, lifetimeSeconds: 300, random: SplitMix64(seed: seed))
    }

    @Test func aFreshNonceIsValidAndCarriesItsIssueTime() {
        var service = Self.service()
        let now = Fixtures.now.adding(milliseconds: 750)
        let nonce = service.mint(now: now)
        #expect(nonce.utf8.count == 64)
        #expect(service.check(nonce, now: now) == .valid(issuedAt: Fixtures.now))
        #expect(service.check(nonce, now: Fixtures.now + 300) == .valid(issuedAt: Fixtures.now))
    }

    @Test func nonceGoesStaleAfterItsLifetime() {
        var service = Self.service()
        let nonce = service.mint(now: Fixtures.now)
        #expect(service.check(nonce, now: Fixtures.now + 301) == .stale(issuedAt: Fixtures.now))
        #expect(service.check(nonce, now: Fixtures.now + 86_400) == .stale(issuedAt: Fixtures.now))
    }

    @Test func consecutiveNoncesDiffer() {
        var service = Self.service()
        let first = service.mint(now: Fixtures.now)
        let second = service.mint(now: Fixtures.now)
        #expect(first != second)
        #expect(service.check(second, now: Fixtures.now) == .valid(issuedAt: Fixtures.now))
    }

    @Test func anyChangedDigitIsInvalid() {
        var service = Self.service()
        let nonce = Array(service.mint(now: Fixtures.now).utf8)
        for index in [0, 15, 16, 31, 32, 63] {
            var tampered = nonce
            tampered[index] = tampered[index] == UInt8(ascii: "0") ? UInt8(ascii: "1") : UInt8(ascii: "0")
            let text = String(decoding: tampered, as: UTF8.self)
            #expect(service.check(text, now: Fixtures.now) == .invalid, "digit \(index)")
        }
    }

    @Test func movingTheIssueTimeForwardIsDetected() {
        // An attacker cannot refresh an old nonce by rewriting its time stamp.
        var service = Self.service()
        let nonce = service.mint(now: Fixtures.now)
        var laterService = Self.service(seed: 2)
        let later = laterService.mint(now: Fixtures.now + 1000)
        let spliced = String(later.prefix(16)) + String(nonce.dropFirst(16))
        #expect(service.check(spliced, now: Fixtures.now + 1000) == .invalid)
    }

    @Test func anotherRealmOrSecretDoesNotAccept() {
        var service = Self.service()
        let nonce = service.mint(now: Fixtures.now)
        #expect(Self.service(realm: "example.com").check(nonce, now: Fixtures.now) == .invalid)
        #expect(Self.service(secret: Array("another secret".utf8)).check(nonce, now: Fixtures.now) == .invalid)
    }

    @Test(arguments: ["", "abc", "zz", String(repeating: "0", count: 64), String(repeating: "a", count: 66)])
    func garbageIsInvalid(_ nonce: String) {
        #expect(Self.service().check(nonce, now: Fixtures.now) == .invalid)
    }

    @Test func upperCasedNonceIsNotOurs() {
        var service = Self.service()
        let nonce = service.mint(now: Fixtures.now)
        #expect(service.check(nonce.uppercased(), now: Fixtures.now) == .invalid)
    }

    @Test func nonceFromTheFutureIsInvalid() {
        var service = Self.service()
        let nonce = service.mint(now: Fixtures.now)
        #expect(service.check(nonce, now: Fixtures.now - 30) == .valid(issuedAt: Fixtures.now))
        #expect(service.check(nonce, now: Fixtures.now - 120) == .invalid)
    }
}

@Suite("Nonce counts")
struct NonceCountTrackerTests {
    @Test func countsMustIncrease() {
        var tracker = NonceCountTracker(capacity: 10, lifetimeSeconds: 300)
        let now = Fixtures.now
        #expect(tracker.use(nonce: "n", issuedAt: now, nonceCount: 1, now: now) == .accepted)
        #expect(tracker.use(nonce: "n", issuedAt: now, nonceCount: 1, now: now) == .replayed)
        #expect(tracker.use(nonce: "n", issuedAt: now, nonceCount: 3, now: now) == .accepted)
        #expect(tracker.use(nonce: "n", issuedAt: now, nonceCount: 2, now: now) == .replayed)
        #expect(tracker.use(nonce: "other", issuedAt: now, nonceCount: 1, now: now) == .accepted)
    }

    @Test func withoutQopANonceServesOnce() {
        var tracker = NonceCountTracker(capacity: 10, lifetimeSeconds: 300)
        #expect(tracker.use(nonce: "n", issuedAt: Fixtures.now, nonceCount: nil, now: Fixtures.now) == .accepted)
        #expect(tracker.use(nonce: "n", issuedAt: Fixtures.now, nonceCount: nil, now: Fixtures.now) == .replayed)
        #expect(tracker.use(nonce: "n", issuedAt: Fixtures.now, nonceCount: 5, now: Fixtures.now) == .replayed)
    }

    @Test func entriesGoWhenTheirNonceExpires() {
        var tracker = NonceCountTracker(capacity: 10, lifetimeSeconds: 300)
        _ = tracker.use(nonce: "old", issuedAt: Fixtures.now, nonceCount: 1, now: Fixtures.now)
        _ = tracker.use(nonce: "new", issuedAt: Fixtures.now + 200, nonceCount: 1, now: Fixtures.now + 200)
        #expect(tracker.count == 2)
        tracker.purgeExpired(now: Fixtures.now + 301)
        #expect(tracker.count == 1)
        tracker.purgeExpired(now: Fixtures.now + 501)
        #expect(tracker.count == 0)
    }

    @Test func evictionPastTheCapForgetsOlderNoncesSafely() {
        var tracker = NonceCountTracker(capacity: 3, lifetimeSeconds: 300)
        for index in 0..<5 {
            let issued = Fixtures.now + index
            #expect(tracker.use(nonce: "n\(index)", issuedAt: issued, nonceCount: 1, now: issued) == .accepted)
        }
        #expect(tracker.count == 3)
        // n0 and n1 were evicted: a replay of them must not look new.
        let now = Fixtures.now + 5
        #expect(tracker.use(nonce: "n0", issuedAt: Fixtures.now, nonceCount: 1, now: now) == .forgotten)
        #expect(tracker.use(nonce: "n1", issuedAt: Fixtures.now + 1, nonceCount: 1, now: now) == .forgotten)
        #expect(tracker.use(nonce: "n4", issuedAt: Fixtures.now + 4, nonceCount: 2, now: now) == .accepted)
        #expect(tracker.use(nonce: "n9", issuedAt: Fixtures.now + 5, nonceCount: 1, now: now) == .accepted)
    }
}
