import NIOCore
import SIPCore

/// The INVITE client transaction of RFC 3261 section 17.1.1, with the Accepted state of RFC 6026 section 8.4
/// (figure 5 as amended). Sans-IO: every input takes `now` and returns the actions to carry out.
public struct ClientInviteTransaction: Sendable {
    public enum State: Hashable, Sendable {
        case calling
        case proceeding
        case completed
        case accepted
        case terminated
    }

    public private(set) var state: State = .calling
    /// The INVITE as given to the transport: it carries the top Via with this transaction's branch.
    public let request: SIPRequest
    public let isReliable: Bool
    public let timers: TransactionTimers
    /// RFC 3261 section 17.1.1.3: the ACK for the 300-699 final, kept to answer retransmissions of that final.
    public private(set) var ack: SIPRequest?
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

    /// RFC 3261 section 17.1.1.2: enter Calling, pass the INVITE to the transport, start Timer A (unreliable
    /// transports only, at T1) and Timer B (64*T1).
    public mutating func start(now: NIODeadline) -> [TransactionAction] {
        guard state == .calling, !started else { return [] }
        started = true
        var actions: [TransactionAction] = [.send(.request(request))]
        if !isReliable {
            actions.append(slots.startRetransmit(.a, interval: timers.timerA, now: now))
        }
        if let timerB = slots.startExpiry(.b, after: timers.timerB, now: now) {
            actions.append(timerB)
        }
        return actions
    }

    /// A response whose key matched this transaction.
    public mutating func receive(_ response: SIPResponse, now: NIODeadline) -> [TransactionAction] {
        let code = response.status.code
        switch state {
        case .calling, .proceeding:
            if code < 200 {
                // RFC 3261 section 17.1.1.2: a provisional moves Calling to Proceeding, which stops
                // retransmissions; Timer B guards Calling only. Provisionals go up to the TU.
                state = .proceeding
                slots.stopAll()
                return [.passToTU(.response(response))]
            }
            if code < 300 {
                // RFC 6026 section 8.4: a 2xx goes up and the transaction waits in Accepted for Timer M, so
                // that 2xx retransmissions and other forks' 2xx reach the TU as well.
                state = .accepted
                slots.stopAll()
                var actions: [TransactionAction] = [.passToTU(.response(response))]
                actions.append(contentsOf: startExpiry(.m, after: timers.timerM, now: now))
                return actions
            }
            // RFC 3261 section 17.1.1.2: 300-699 from Calling or Proceeding: send the ACK, pass the response
            // up, enter Completed and start Timer D (32 s unreliable, 0 reliable).
            let ack = Self.makeACK(for: request, response: response)
            self.ack = ack
            state = .completed
            slots.stopAll()
            var actions: [TransactionAction] = [.send(.request(ack)), .passToTU(.response(response))]
            actions.append(contentsOf: startExpiry(.d, after: timers.timerD(reliable: isReliable), now: now))
            return actions
        case .completed:
            // RFC 3261 section 17.1.1.2: retransmissions of the final re-send the ACK and are not passed up.
            guard code >= 300, let ack else { return [] }
            return [.send(.request(ack))]
        case .accepted:
            // RFC 6026 section 8.4: "any 2xx responses" received in Accepted are passed up to the TU.
            guard response.status.isSuccess else { return [] }
            return [.passToTU(.response(response))]
        case .terminated:
            return []
        }
    }

    /// A timer fired. Stale timers (stopped, or restarted for a later time) do nothing.
    public mutating func fire(_ timer: TransactionTimer, now: NIODeadline) -> [TransactionAction] {
        guard slots.isDue(timer, now: now) else { return [] }
        switch (state, timer) {
        case (.calling, .a):
            // RFC 3261 section 17.1.1.2: retransmit and restart Timer A at twice the interval.
            let next = slots.startRetransmit(.a, interval: slots.retransmitInterval * 2, now: now)
            return [.send(.request(request)), next]
        case (.calling, .b):
            // RFC 3261 section 17.1.1.2: still Calling when Timer B fires: tell the TU of the timeout.
            terminate()
            return [.timeout, .terminate]
        case (.completed, .d), (.accepted, .m):
            terminate()
            return [.terminate]
        default:
            return []
        }
    }

    /// RFC 3261 section 17.1.4: the transport failed to send; the TU hears of it unless the final response
    /// already went up, and the transaction ends.
    public mutating func transportFailed(now: NIODeadline) -> [TransactionAction] {
        switch state {
        case .calling, .proceeding:
            terminate()
            return [.transportError, .terminate]
        case .completed:
            // The ACK could not be sent; the TU already has the final.
            terminate()
            return [.terminate]
        case .accepted, .terminated:
            // Nothing is sent in Accepted: the ACK for a 2xx belongs to the TU.
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
