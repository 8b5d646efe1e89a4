import NIOCore

/// Test time: starts at uptime 0 and moves only when a test says so, so every RFC 3261 timer runs in
/// microseconds of real time.
struct VirtualClock {
    static let origin = NIODeadline.uptimeNanoseconds(0)

    private(set) var now: NIODeadline = VirtualClock.origin

    /// The deadline `amount` after the origin.
    static func at(_ amount: TimeAmount) -> NIODeadline { origin + amount }

    /// Time since the origin.
    var elapsed: TimeAmount { now - VirtualClock.origin }

    mutating func advance(by amount: TimeAmount) {
        now = now + amount
    }

    /// Moves to `deadline`; time never goes back.
    mutating func advance(to deadline: NIODeadline) {
        if deadline > now { now = deadline }
    }
}
