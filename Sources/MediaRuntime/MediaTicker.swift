import NIOCore

/// The 20 ms clock of one media event loop: every session on the loop plays out on the same tick, so a
/// loop with hundreds of calls wakes 50 times a second, not 50 times per call. Deadlines are absolute
/// (last + 20 ms), so the tick does not drift with the work done in it. Loop-bound.
final class MediaTicker {
    static let period = TimeAmount.milliseconds(20)

    let eventLoop: any EventLoop
    private var drivers: [ObjectIdentifier: MediaSessionDriver] = [:]
    private var scheduled: Scheduled<Void>?
    private var nextDeadline: NIODeadline?

    init(eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    func add(_ driver: MediaSessionDriver) {
        drivers[ObjectIdentifier(driver)] = driver
        if scheduled == nil { schedule(from: .now()) }
    }

    func remove(_ driver: MediaSessionDriver) {
        drivers[ObjectIdentifier(driver)] = nil
        if drivers.isEmpty {
            scheduled?.cancel()
            scheduled = nil
            nextDeadline = nil
        }
    }

    var sessionCount: Int { drivers.count }

    private func schedule(from base: NIODeadline) {
        let deadline = base + Self.period
        nextDeadline = deadline
        let loopBound = NIOLoopBound(self, eventLoop: eventLoop)
        scheduled = eventLoop.scheduleTask(deadline: deadline) {
            loopBound.value.fire(at: deadline)
        }
    }

    /// Media time must not fall behind: a tick that comes late plays the frames of the turns it missed
    /// (up to `maximumCatchUp`), so every session still sends 50 frames a second. After a longer stall
    /// the missed time is given up.
    static let maximumCatchUp = 4

    private func fire(at deadline: NIODeadline) {
        let now = NIODeadline.now()
        var due = deadline
        var turns = 0
        while turns < Self.maximumCatchUp {
            let ntp = NTPTime.now()
            for driver in drivers.values { driver.tick(now: now, ntpTimestamp: ntp) }
            turns += 1
            guard due + Self.period <= now else { break }
            due = due + Self.period
        }
        if drivers.isEmpty {
            scheduled = nil
            return
        }
        // Past the catch-up allowance: start again from now rather than bursting.
        schedule(from: due + Self.period <= now ? now : due)
    }
}
