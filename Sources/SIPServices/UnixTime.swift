/// Wall-clock time as milliseconds since 1970-01-01 UTC. The runtime reads the clock and passes it in;
/// registrar expiry is wall-clock (not monotonic) because bindings are persisted and must survive a restart.
public struct UnixTime: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var milliseconds: Int64

    public init(milliseconds: Int64) {
        self.milliseconds = milliseconds
    }

    public init(seconds: Int64) {
        self.milliseconds = seconds * 1000
    }

    /// Whole seconds since 1970 (rounded down).
    public var seconds: Int64 { milliseconds >= 0 ? milliseconds / 1000 : (milliseconds - 999) / 1000 }

    public func adding(seconds: Int64) -> UnixTime {
        UnixTime(milliseconds: milliseconds + seconds * 1000)
    }

    public func adding(milliseconds delta: Int64) -> UnixTime {
        UnixTime(milliseconds: milliseconds + delta)
    }

    /// Seconds from `self` until `later`, a partial second counting as a whole one, so that a binding
    /// with 200 ms left still reports 1 s (an `expires` of 0 would read as "removed"). Negative when
    /// `later` is in the past.
    public func seconds(until later: UnixTime) -> Int64 {
        let delta = later.milliseconds - milliseconds
        return delta > 0 ? (delta + 999) / 1000 : -((-delta) / 1000)
    }

    /// `time + n` is `n` seconds later.
    public static func + (time: UnixTime, seconds: Int) -> UnixTime {
        time.adding(seconds: Int64(seconds))
    }

    /// `time - n` is `n` seconds earlier.
    public static func - (time: UnixTime, seconds: Int) -> UnixTime {
        time.adding(seconds: -Int64(seconds))
    }

    public static func < (lhs: UnixTime, rhs: UnixTime) -> Bool { lhs.milliseconds < rhs.milliseconds }

    public var description: String { "\(milliseconds) ms" }
}
