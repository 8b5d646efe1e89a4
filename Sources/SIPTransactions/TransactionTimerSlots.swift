import NIOCore

/// The timers one transaction has running. A transaction has at most two at once: one that retransmits
/// (A, E or G) and one that ends its state (B, D, F, H, I, J, K, L or M). Stopping a timer just forgets its
/// deadline; the layer's heap entry for it then goes stale and is dropped when it comes up.
struct TransactionTimerSlots: Hashable, Sendable {
    struct Armed: Hashable, Sendable {
        var timer: TransactionTimer
        var deadline: NIODeadline
    }

    private(set) var retransmit: Armed?
    /// The interval the retransmit timer was last started with (it doubles from T1).
    private(set) var retransmitInterval: TimeAmount = .zero
    private(set) var expiry: Armed?

    /// When `timer` is due, or nil when it is not running.
    func deadline(of timer: TransactionTimer) -> NIODeadline? {
        if let retransmit, retransmit.timer == timer { return retransmit.deadline }
        if let expiry, expiry.timer == timer { return expiry.deadline }
        return nil
    }

    /// Whether `timer` is running and due at `now`; a fired timer that was stopped or restarted is stale.
    func isDue(_ timer: TransactionTimer, now: NIODeadline) -> Bool {
        guard let deadline = deadline(of: timer) else { return false }
        return deadline <= now
    }

    mutating func startRetransmit(_ timer: TransactionTimer, interval: TimeAmount, now: NIODeadline)
        -> TransactionAction
    {
        // A zero T1 set by a test must not make a timer that fires forever at the same instant.
        let interval = max(interval, .nanoseconds(1))
        retransmitInterval = interval
        let deadline = now + interval
        retransmit = Armed(timer: timer, deadline: deadline)
        return .startTimer(timer, at: deadline)
    }

    /// Starts the state-ending timer; nil when `duration` is zero, which means "terminate now" (the reliable
    /// transport values of Timers D, I, J and K).
    mutating func startExpiry(_ timer: TransactionTimer, after duration: TimeAmount, now: NIODeadline)
        -> TransactionAction?
    {
        guard duration > .zero else {
            expiry = nil
            return nil
        }
        let deadline = now + duration
        expiry = Armed(timer: timer, deadline: deadline)
        return .startTimer(timer, at: deadline)
    }

    mutating func stopRetransmit() {
        retransmit = nil
    }

    mutating func stopAll() {
        retransmit = nil
        expiry = nil
    }
}
