import NIOCore

/// The timer values of RFC 3261 section 17 (table 4 of appendix A) with the RFC 6026 additions. T1, T2 and T4
/// are settable (tests shrink or stretch them); every other timer derives from them.
public struct TransactionTimers: Hashable, Sendable {
    /// RFC 3261 section 17.1.1.1: the round-trip estimate, 500 ms by default.
    public var t1: TimeAmount
    /// The longest retransmit interval for non-INVITE requests and INVITE final responses.
    public var t2: TimeAmount
    /// The longest time a message stays in the network.
    public var t4: TimeAmount
    /// RFC 3261 section 17.1.1.2: Timer D over unreliable transports is "at least 32 seconds".
    public var timerDUnreliable: TimeAmount
    /// RFC 3261 section 16.6 step 11: the proxy's INVITE guard. Run by the proxy core, not by this layer.
    public var timerC: TimeAmount

    public init(
        t1: TimeAmount = .milliseconds(500), t2: TimeAmount = .seconds(4), t4: TimeAmount = .seconds(5),
        timerD: TimeAmount = .seconds(32), timerC: TimeAmount = .seconds(180)
    ) {
        self.t1 = t1
        self.t2 = t2
        self.t4 = t4
        self.timerDUnreliable = timerD
        self.timerC = timerC
    }

    /// 64*T1, the base of B, F, H, J, L and M.
    public var transactionTimeout: TimeAmount { t1 * 64 }

    /// Timer A: first INVITE retransmit interval (unreliable only), doubling each time.
    public var timerA: TimeAmount { t1 }
    /// Timer B: INVITE transaction timeout.
    public var timerB: TimeAmount { transactionTimeout }
    /// Timer D: wait time for response retransmits (32 s unreliable, 0 reliable).
    public func timerD(reliable: Bool) -> TimeAmount { reliable ? .zero : timerDUnreliable }
    /// Timer E: first non-INVITE retransmit interval (unreliable only), doubling up to T2.
    public var timerE: TimeAmount { t1 }
    /// Timer F: non-INVITE transaction timeout.
    public var timerF: TimeAmount { transactionTimeout }
    /// Timer G: first INVITE final response retransmit interval (unreliable only), doubling up to T2.
    public var timerG: TimeAmount { t1 }
    /// Timer H: wait time for the ACK.
    public var timerH: TimeAmount { transactionTimeout }
    /// Timer I: wait time for ACK retransmits (T4 unreliable, 0 reliable).
    public func timerI(reliable: Bool) -> TimeAmount { reliable ? .zero : t4 }
    /// Timer J: wait time for non-INVITE request retransmits (64*T1 unreliable, 0 reliable).
    public func timerJ(reliable: Bool) -> TimeAmount { reliable ? .zero : transactionTimeout }
    /// Timer K: wait time for non-INVITE response retransmits (T4 unreliable, 0 reliable).
    public func timerK(reliable: Bool) -> TimeAmount { reliable ? .zero : t4 }
    /// RFC 6026 section 8.7: Timer L, how long an accepted INVITE server transaction absorbs retransmissions.
    public var timerL: TimeAmount { transactionTimeout }
    /// RFC 6026 section 8.4: Timer M, how long an accepted INVITE client transaction passes 2xx retransmissions up.
    public var timerM: TimeAmount { transactionTimeout }
}
