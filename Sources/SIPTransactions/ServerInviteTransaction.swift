import NIOCore
import SIPCore

/// The INVITE server transaction of RFC 3261 section 17.2.1, with the Accepted state of RFC 6026 sections 7.1
/// and 8.7 (figure 7 as amended). It starts in Proceeding; it does not send 100 (Trying) by itself: the proxy
/// core or UAS core does (RFC 3261 section 16.2 and 17.2.1). Sans-IO: every input takes `now`.
public struct ServerInviteTransaction: Sendable {
    public enum State: Hashable, Sendable {
        case proceeding
        case completed
        case accepted
        case confirmed
        case terminated
    }

    public private(set) var state: State = .proceeding
    /// The INVITE that created the transaction.
    public let request: SIPRequest
    public let isReliable: Bool
    public let timers: TransactionTimers
    /// The last response the TU passed: the provisional resent in Proceeding, the final resent in Completed.
    public private(set) var lastResponse: SIPResponse?
    private var slots = TransactionTimerSlots()

    public init(request: SIPRequest, reliable: Bool, timers: TransactionTimers = TransactionTimers()) {
        self.request = request
        self.isReliable = reliable
        self.timers = timers
    }

    /// When `timer` is due, or nil when it is not running.
    public func deadline(of timer: TransactionTimer) -> NIODeadline? {
        slots.deadline(of: timer)
    }

    /// A response from the TU.
    public mutating func respond(_ response: SIPResponse, now: NIODeadline) -> [TransactionAction] {
        let code = response.status.code
        switch state {
        case .proceeding:
            lastResponse = response
            if code < 200 {
                // RFC 3261 section 17.2.1: provisionals are sent and the transaction stays in Proceeding.
                return [.send(.response(response))]
            }
            if code < 300 {
                // RFC 6026 section 8.7: a 2xx is sent and the transaction enters Accepted with Timer L.
                state = .accepted
                var actions: [TransactionAction] = [.send(.response(response))]
                actions.append(contentsOf: startExpiry(.l, after: timers.timerL, now: now))
                return actions
            }
            // RFC 3261 section 17.2.1: 300-699 is sent, the transaction enters Completed, Timer G starts for
            // unreliable transports (T1) and Timer H (64*T1) for all.
            state = .completed
            var actions: [TransactionAction] = [.send(.response(response))]
            if !isReliable {
                actions.append(slots.startRetransmit(.g, interval: timers.timerG, now: now))
            }
            actions.append(contentsOf: startExpiry(.h, after: timers.timerH, now: now))
            return actions
        case .accepted:
            // RFC 6026 section 8.7: in Accepted, further 2xx from the TU (its retransmissions, or other forks'
            // 2xx at a proxy) are sent.
            guard response.status.isSuccess else { return [] }
            lastResponse = response
            return [.send(.response(response))]
        case .completed, .confirmed, .terminated:
            return []
        }
    }

    /// The INVITE came again.
    public mutating func receiveRetransmission(now: NIODeadline) -> [TransactionAction] {
        switch state {
        case .proceeding, .completed:
            // RFC 3261 section 17.2.1: in Proceeding the most recent provisional is sent again; in Completed,
            // the final.
            guard let lastResponse else { return [] }
            return [.send(.response(lastResponse))]
        case .accepted, .confirmed, .terminated:
            // RFC 6026 section 8.7: Accepted absorbs retransmissions; so does Confirmed.
            return []
        }
    }

    /// An ACK matched this transaction.
    public mutating func receiveACK(_ ack: SIPRequest, now: NIODeadline) -> [TransactionAction] {
        switch state {
        case .completed:
            // RFC 3261 section 17.2.1: the ACK moves Completed to Confirmed; G and H stop, Timer I starts
            // (T4 unreliable, 0 reliable) to absorb ACK retransmissions.
            state = .confirmed
            slots.stopAll()
            return startExpiry(.i, after: timers.timerI(reliable: isReliable), now: now)
        case .accepted:
            // RFC 6026 section 8.7 (figure 7): an ACK in Accepted is passed to the TU.
            return [.passToTU(.request(ack))]
        case .proceeding, .confirmed, .terminated:
            return []
        }
    }

    /// A timer fired. Stale timers (stopped, or restarted for a later time) do nothing.
    public mutating func fire(_ timer: TransactionTimer, now: NIODeadline) -> [TransactionAction] {
        guard slots.isDue(timer, now: now) else { return [] }
        switch (state, timer) {
        case (.completed, .g):
            // RFC 3261 section 17.2.1: resend the final; the interval doubles up to T2.
            guard let lastResponse else { return [] }
            let interval = min(slots.retransmitInterval * 2, timers.t2)
            return [.send(.response(lastResponse)), slots.startRetransmit(.g, interval: interval, now: now)]
        case (.completed, .h):
            // RFC 3261 section 17.2.1: Timer H means the ACK never came: terminate and tell the TU.
            terminate()
            return [.timeout, .terminate]
        case (.confirmed, .i), (.accepted, .l):
            terminate()
            return [.terminate]
        default:
            return []
        }
    }

    /// RFC 3261 section 17.2.4: the transport failed to send a response (after the section 18.2.2 fallbacks);
    /// the TU hears of it and the transaction ends.
    public mutating func transportFailed(now: NIODeadline) -> [TransactionAction] {
        switch state {
        case .proceeding, .completed, .accepted:
            terminate()
            return [.transportError, .terminate]
        case .confirmed, .terminated:
            return []
        }
    }

    private mutating func startExpiry(_ timer: TransactionTimer, after duration: TimeAmount, now: NIODeadline)
        -> [TransactionAction]
    {
        if let action = slots.startExpiry(timer, after: duration, now: now) {
            return [action]
        }
        terminate()
        return [.terminate]
    }

    private mutating func terminate() {
        state = .terminated
        slots.stopAll()
    }
}
