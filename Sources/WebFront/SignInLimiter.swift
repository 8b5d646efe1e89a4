import NIOConcurrencyHelpers
import SIPServices

/// Failed web sign-ins counted per client address, with the same rule as SIP digest failures (10 in a
/// minute ban the address for 5 minutes).
public final class SignInLimiter: Sendable {
    private let limiter: NIOLockedValueBox<AuthFailureLimiter>

    public init(settings: AuthFailureLimiter.Settings = AuthFailureLimiter.Settings()) {
        limiter = NIOLockedValueBox(AuthFailureLimiter(settings: settings))
    }

    /// Seconds until the ban on `host` ends, or nil when it may try.
    public func secondsBanned(_ host: String, now: UnixTime) -> Int64? {
        limiter.withLockedValue { limiter in
            limiter.banEnd(host, now: now).map { max(1, ($0.milliseconds - now.milliseconds + 999) / 1000) }
        }
    }

    public func recordFailure(_ host: String, now: UnixTime) {
        limiter.withLockedValue { _ = $0.recordFailure(host, now: now) }
    }
}
