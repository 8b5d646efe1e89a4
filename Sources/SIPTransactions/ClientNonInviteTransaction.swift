import NIOCore
import SIPCore

/// The non-INVITE client transaction of RFC 3261 section 17.1.2 (figure 6). Sans-IO: every input takes `now`
/// and returns the actions to carry out.
public struct ClientNonInviteTransaction: Sendable {
    public enum State: Hashable, Sendable {
        case trying
        case proceeding
        case completed
        case terminated
    }

    public private(set) var state: State = .trying
    /// The request as given to the transport: it carries the top Via with this transaction's branch.
    public let request: SIPRequest
    public let isReliable: Bool
    public let timers: TransactionTimers
    private var slots = TransactionTimerSlots()
    private var started = false

    public init(request: SIPRequest, reliable: Bool, timers: TransactionTimers = TransactionTimers()) {
        self.request = request
        self.isReliable = reliable
        self.timers = timers
    }

    /// When `timer` is due, or nil when it is not running.
    public func deadline(of timer: TransactionTimer) -> NIODeadline? {
        slots.deadline(of: timer)
    }

    /// RFC 3261 section 17.1.2.2: enter Trying, pass the request to the transport, start Timer F (64*T1) and,
    /// over unreliable transports, Timer E (T1).
    public mutating func start(now: NIODeadline) -> [TransactionAction] {
        guard state == .trying, !started else { return [] }
        started = true
        var actions: [TransactionAction] = [.send(.request(request))]
        if !isReliable {
            actions.append(slots.startRetransmit(.e, interval: timers.timerE, now: now))
        }
        if let timerF = slots.startExpiry(.f, after: timers.timerF, now: now) {
            actions.append(timerF)
        }
        return actions
    }

    /// A response whose key matched this transaction.
    public mutating func receive(_ response: SIPResponse, now: NIODeadline) -> [TransactionAction] {
        switch state {
        case .trying, .proceeding:
            if response.status.code < 200 {
                // RFC 3261 section 17.1.2.2: a provisional moves to Proceeding and goes up; Timer E keeps
                // running and is next restarted at T2.
                state = .proceeding
                return [.passToTU(.response(response))]
            }
            // RFC 3261 section 17.1.2.2: a final goes up, the transaction enters Completed and Timer K starts
            // (T4 unreliable, 0 reliable). E and F stop.
            state = .completed
            slots.stopAll()
            var actions: [TransactionAction] = [.passToTU(.response(response))]
            if let timerK = slots.startExpiry(.k, after: timers.timerK(reliable: isReliable), now: now) {
                actions.append(timerK)
            } else {
                terminate()
                actions.append(.terminate)
            }
            return actions
        case .completed, .terminated:
            // RFC 3261 section 17.1.2.2: Completed buffers response retransmissions.
            return []
        }
    }

    /// A timer fired. Stale timers (stopped, or restarted for a later time) do nothing.
    public mutating func fire(_ timer: TransactionTimer, now: NIODeadline) -> [TransactionAction] {
        guard slots.isDue(timer, now: now) else { return [] }
        switch (state, timer) {
        case (.trying, .e):
            // RFC 3261 section 17.1.2.2: retransmit; the interval doubles up to T2.
            let interval = min(slots.retransmitInterval * 2, timers.t2)
            return [.send(.request(request)), slots.startRetransmit(.e, interval: interval, now: now)]
        case (.proceeding, .e):
            // RFC 3261 section 17.1.2.2: in Proceeding, retransmit and restart Timer E at T2.
            return [.send(.request(request)), slots.startRetransmit(.e, interval: timers.t2, now: now)]
        case (.trying, .f), (.proceeding, .f):
            // RFC 3261 section 17.1.2.2: Timer F in Trying or Proceeding: tell the TU of the timeout.
            terminate()
            return [.timeout, .terminate]
        case (.completed, .k):
            terminate()
            return [.terminate]
        default:
            return []
        }
    }

    /// RFC 3261 section 17.1.4: the transport failed to send the request; the TU hears of it and the
    /// transaction ends.
    public mutating func transportFailed(now: NIODeadline) -> [TransactionAction] {
        switch state {
        case .trying, .proceeding:
            terminate()
            return [.transportError, .terminate]
        case .completed, .terminated:
            return []
        }
    }

    private mutating func terminate() {
        state = .terminated
        slots.stopAll()
    }
}
