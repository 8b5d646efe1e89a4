import SIPCore

/// What the transaction layer hands to its owner: messages for the wire and news for the transaction user.
public enum TransactionEvent<Destination: Hashable & Sendable>: Hashable, Sendable {
    /// Put this message on the wire: first sends and retransmissions, ACKs for non-2xx finals, responses.
    case send(SIPMessage, to: Destination)
    /// A new request for the TU; its server transaction exists (none is made for ACK).
    case request(SIPRequest, ServerTransactionID, from: Destination)
    /// An ACK that belongs to no transaction: the ACK for a 2xx (RFC 3261 section 17, RFC 6026 section 8.7).
    /// The TU or proxy core handles or forwards it.
    case strayACK(SIPRequest, from: Destination)
    /// A response for the TU on its client transaction.
    case response(SIPResponse, ClientTransactionID)
    /// A response that matches no client transaction (RFC 3261 section 18.1.2 as updated by RFC 6026): the
    /// proxy core decides whether to forward it.
    case strayResponse(SIPResponse)
    /// Timer B or F fired: the TU acts as if it received a 408 (RFC 3261 section 8.1.3.1).
    case clientTimeout(ClientTransactionID)
    /// The transport could not deliver for this client transaction (RFC 3261 section 17.1.4).
    case clientTransportError(ClientTransactionID)
    /// Timer H fired: the ACK for a non-2xx final never came (RFC 3261 section 17.2.1).
    case serverTimeout(ServerTransactionID)
    /// The transport could not deliver a response of this server transaction (RFC 3261 section 17.2.4).
    case serverTransportError(ServerTransactionID)
    /// The client transaction is gone; the TU can drop what it kept for it.
    case clientTerminated(ClientTransactionID)
    /// The server transaction is gone; the TU can drop what it kept for it.
    case serverTerminated(ServerTransactionID)
}
