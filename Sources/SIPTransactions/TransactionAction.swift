import NIOCore
import SIPCore

/// What a transaction state machine asks its owner to do. `TransactionLayer` turns these into
/// `TransactionEvent`s addressed to the transaction's peer and keeps the timers.
public enum TransactionAction: Hashable, Sendable {
    /// Put this message on the wire to the transaction's peer (first send, retransmission, ACK, response).
    case send(SIPMessage)
    /// Hand this message to the transaction user: a response on the client side; on the server side the ACK
    /// for a 2xx that matched an INVITE server transaction in Accepted (RFC 6026 section 8.7, figure 7).
    case passToTU(SIPMessage)
    /// Timer B, F or H fired: the transaction failed for want of an answer.
    case timeout
    /// The transport reported a failure (RFC 3261 sections 17.1.4 and 17.2.4).
    case transportError
    /// Arm this timer; an earlier deadline of the same timer is void.
    case startTimer(TransactionTimer, at: NIODeadline)
    /// The transaction reached Terminated and must be destroyed at once (RFC 3261 section 17.1.1.2).
    case terminate
}
