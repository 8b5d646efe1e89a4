@testable import SIPServices
import Testing

@Suite("Failed-attempt limiter")
struct AuthFailureLimiterTests {
    @Test func bansAtTheTenthFailureAndLiftsAfterTheBan() {
        var limiter = AuthFailureLimiter()
        let host = "198.51.100.7"
        for second in 0..<9 {
            let startedBan = limiter.recordFailure(host, now: Fixtures.now + second)
            #expect(!startedBan)
            #expect(!limiter.isBanned(host, now: Fixtures.now + second))
        }
        let tenth = Fixtures.now + 9
        let tenthStartsBan = limiter.recordFailure(host, now: tenth)
        #expect(tenthStartsBan)
        #expect(limiter.isBanned(host, now: tenth))
        #expect(limiter.banEnd(host, now: tenth) == tenth + 300)
        #expect(limiter.isBanned(host, now: tenth + 299))
        #expect(!limiter.isBanned(host, now: tenth + 300))
        // Other hosts are not affected.
        #expect(!limiter.isBanned("198.51.100.8", now: tenth))
    }

    @Test func failuresOutsideTheWindowDoNotCount() {
        var limiter = AuthFailureLimiter()
        let host = "203.0.113.5"
        // Nine failures, then the window slides past them.
        for second in 0..<9 { limiter.recordFailure(host, now: Fixtures.now + second) }
        for second in 61..<69 { limiter.recordFailure(host, now: Fixtures.now + second) }
        #expect(!limiter.isBanned(host, now: Fixtures.now + 69))
        // Now 8 in the window; two more within it ban.
        limiter.recordFailure(host, now: Fixtures.now + 70)
        #expect(!limiter.isBanned(host, now: Fixtures.now + 70))
        limiter.recordFailure(host, now: Fixtures.now + 71)
        #expect(limiter.isBanned(host, now: Fixtures.now + 71))
    }

    @Test func successClearsTheCount() {
        var limiter = AuthFailureLimiter()
        let host = "192.0.2.1"
        for second in 0..<9 { limiter.recordFailure(host, now: Fixtures.now + second) }
        limiter.recordSuccess(host)
        #expect(limiter.trackedHosts == 0)
        limiter.recordFailure(host, now: Fixtures.now + 10)
        #expect(!limiter.isBanned(host, now: Fixtures.now + 10))
    }

    @Test func settingsAreHonoured() {
        var limiter = AuthFailureLimiter(settings: .init(windowSeconds: 10, maxFailures: 3, banSeconds: 30))
        let host = "192.0.2.2"
        limiter.recordFailure(host, now: Fixtures.now)
        limiter.recordFailure(host, now: Fixtures.now + 1)
        let thirdStartsBan = limiter.recordFailure(host, now: Fixtures.now + 2)
        #expect(thirdStartsBan)
        #expect(limiter.isBanned(host, now: Fixtures.now + 31))
        #expect(!limiter.isBanned(host, now: Fixtures.now + 32))
    }

    @Test func memoryStaysBoundedAndBansSurviveEviction() {
        var limiter = AuthFailureLimiter(settings: .init(maxFailures: 2, maxTrackedHosts: 100))
        let banned = "192.0.2.99"
        limiter.recordFailure(banned, now: Fixtures.now)
        limiter.recordFailure(banned, now: Fixtures.now)
        for index in 0..<1000 {
            limiter.recordFailure("10.0.\(index / 256).\(index % 256)", now: Fixtures.now + 1)
        }
        #expect(limiter.trackedHosts <= 100)
        #expect(limiter.isBanned(banned, now: Fixtures.now + 2))
    }

    @Test func ipv6IsCountedPerSlash64() {
        var limiter = AuthFailureLimiter(settings: .init(maxFailures: 2))
        limiter.recordFailure("2001:db8:1:2::1", now: Fixtures.now)
        limiter.recordFailure("2001:db8:1:2:aaaa:bbbb:cccc:dddd", now: Fixtures.now)
        #expect(limiter.isBanned("2001:0db8:0001:0002::ffff", now: Fixtures.now))
        #expect(!limiter.isBanned("2001:db8:1:3::1", now: Fixtures.now))
        #expect(limiter.key(for: "[2001:db8::1]") == "2001:db8:0:0::/64")
        #expect(limiter.key(for: "::ffff:192.0.2.1") == "192.0.2.1")
        #expect(AuthFailureLimiter.expandIPv6("1:2:3:4:5:6:7:8") == [1, 2, 3, 4, 5, 6, 7, 8])
        #expect(AuthFailureLimiter.expandIPv6("::") == [0, 0, 0, 0, 0, 0, 0, 0])
        #expect(AuthFailureLimiter.expandIPv6("1:::2") == nil)
        #expect(AuthFailureLimiter.expandIPv6("1::2::3") == nil)
    }
}
