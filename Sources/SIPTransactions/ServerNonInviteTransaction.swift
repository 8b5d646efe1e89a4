import NIOCore
import SIPCore

/// The non-INVITE server transaction of RFC 3261 section 17.2.2 (figure 8). Sans-IO: every input takes `now`.
public struct ServerNonInviteTransaction: Sendable {
    public enum State: Hashable, Sendable {
        case trying
        case proceeding
        case completed
        case terminated
    }

    public private(set) var state: State = .trying
    /// The request that created the transaction.
    public let request: SIPRequest
    public let isReliable: Bool
    public let timers: TransactionTimers
    /// The last response sent: resent when the request comes again in Proceeding or Completed.
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
        switch state {
        case .trying, .proceeding:
            lastResponse = response
            if response.status.code < 200 {
                // RFC 3261 section 17.2.2: a provisional is sent and the transaction is in Proceeding.
                state = .proceeding
                return [.send(.response(response))]
            }
            // RFC 3261 section 17.2.2: a final is sent, the transaction enters Completed and Timer J starts
            // (64*T1 unreliable, 0 reliable).
            state = .completed
            var actions: [TransactionAction] = [.send(.response(response))]
            if let timerJ = slots.startExpiry(.j, after: timers.timerJ(reliable: isReliable), now: now) {
                actions.append(timerJ)
            } else {
                terminate()
                actions.append(.terminate)
            }
            return actions
        case .completed, .terminated:
            // RFC 3261 section 17.2.2: other finals from the TU are discarded in Completed.
            return []
        }
    }

    /// The request came again.
    public mutating func receiveRetransmission(now: NIODeadline) -> [TransactionAction] {
        switch state {
        case .trying, .terminated:
            // RFC 3261 section 17.2.2: in Trying, request retransmissions are discarded.
            return []
        case .proceeding, .completed:
            // RFC 3261 section 17.2.2: the last provisional, or the final, is sent again.
            guard let lastResponse else { return [] }
            return [.send(.response(lastResponse))]
        }
    }

    /// A timer fired. Stale timers do nothing.
    public mutating func fire(_ timer: TransactionTimer, now: NIODeadline) -> [TransactionAction] {
        guard slots.isDue(timer, now: now), state == .completed, timer == .j else { return [] }
        // RFC 3261 section 17.2.2: Timer J ends Completed.
        terminate()
        return [.terminate]
    }

    /// RFC 3261 section 17.2.4: the transport failed to send a response; the TU hears of it and the
    /// transaction ends.
    public mutating func transportFailed(now: NIODeadline) -> [TransactionAction] {
        switch state {
        case .proceeding, .completed:
            terminate()
            return [.transportError, .terminate]
        case .trying, .terminated:
            return []
        }
    }

    private mutating func terminate() {
        state = .terminated
        slots.stopAll()
    }
}
