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
        let now = NIODeadline.now()
        var deadline = base + Self.period
        // After a stall, skip the missed ticks rather than bursting through them.
        if deadline < now { deadline = now + Self.period }
        nextDeadline = deadline
        let loopBound = NIOLoopBound(self, eventLoop: eventLoop)
        scheduled = eventLoop.scheduleTask(deadline: deadline) {
            loopBound.value.fire(at: deadline)
        }
    }

    private func fire(at deadline: NIODeadline) {
        let now = NIODeadline.now()
        let ntp = NTPTime.now()
        for driver in drivers.values { driver.tick(now: now, ntpTimestamp: ntp) }
        if drivers.isEmpty {
            scheduled = nil
            return
        }
        schedule(from: deadline)
    }
}
