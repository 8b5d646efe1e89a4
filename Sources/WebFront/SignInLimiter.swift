import NIOConcurrencyHelpers
import SIPServices

/// Failed web sign-ins counted per client address, with the same rule as SIP digest failures (10 in a
/// minute ban the address for 5 minutes). A password check takes tens of milliseconds, so checks in flight
/// are capped too, per address and in all: a burst of parallel guesses cannot all pass the ban check before
/// the first failure is counted, nor queue minutes of bcrypt work.
public final class SignInLimiter: Sendable {
    public enum Admission: Equatable, Sendable {
        case admitted
        case banned(retryAfterSeconds: Int64)
        /// Too many checks in flight (from this address, or in all).
        case busy
    }

    private struct State {
        var failures: AuthFailureLimiter
        var inFlight: [String: Int] = [:]
        var inFlightTotal = 0
    }

    public let maxInFlightPerHost: Int
    public let maxInFlight: Int
    private let state: NIOLockedValueBox<State>

    public init(
        settings: AuthFailureLimiter.Settings = AuthFailureLimiter.Settings(), maxInFlightPerHost: Int = 2,
        maxInFlight: Int = 16
    ) {
        state = NIOLockedValueBox(State(failures: AuthFailureLimiter(settings: settings)))
        self.maxInFlightPerHost = max(1, maxInFlightPerHost)
        self.maxInFlight = max(1, maxInFlight)
    }

    /// Whether `host` may have its password checked now; `admitted` must be followed by `finish`.
    public func admit(_ host: String, now: UnixTime) -> Admission {
        state.withLockedValue { state in
            if let end = state.failures.banEnd(host, now: now) {
                return .banned(retryAfterSeconds: max(1, (end.milliseconds - now.milliseconds + 999) / 1000))
            }
            guard state.inFlight[host, default: 0] < maxInFlightPerHost, state.inFlightTotal < maxInFlight else {
                return .busy
            }
            state.inFlight[host, default: 0] += 1
            state.inFlightTotal += 1
            return .admitted
        }
    }

    /// Ends an admitted check; a failure counts toward the ban.
    public func finish(_ host: String, failed: Bool, now: UnixTime) {
        state.withLockedValue { state in
            let remaining = state.inFlight[host, default: 1] - 1
            state.inFlight[host] = remaining > 0 ? remaining : nil
            state.inFlightTotal = max(0, state.inFlightTotal - 1)
            if failed { _ = state.failures.recordFailure(host, now: now) }
        }
    }
}
