import SIPCore

extension TransactionLayer {
    /// The INVITE server transaction a CANCEL targets (RFC 3261 section 9.2): the one the CANCEL would match
    /// by section 17.2.3 if its method were INVITE. Nil when none is live.
    public func serverTransaction(matchingCancel cancel: SIPRequest) -> ServerTransactionID? {
        guard cancel.method == .cancel, let key = TransactionKey.server(for: cancel, method: .invite),
            let id = serverKeys[key], id.isInvite
        else { return nil }
        return id
    }

    /// The request that created a server transaction (for the TU building a reply, a 487, or a CANCEL's 200).
    public func request(of id: ServerTransactionID) -> SIPRequest? {
        id.isInvite ? serverInvites[id]?.machine.request : serverNonInvites[id]?.machine.request
    }

    /// Where the request of a server transaction came from; responses go back there.
    public func source(of id: ServerTransactionID) -> Destination? {
        id.isInvite ? serverInvites[id]?.peer : serverNonInvites[id]?.peer
    }

    /// Whether this is a live INVITE server transaction still in Proceeding: no final response yet, so a
    /// CANCEL still has an effect (RFC 3261 section 9.2).
    public func isInviteServerTransactionProceeding(_ id: ServerTransactionID) -> Bool {
        serverInvites[id]?.machine.state == .proceeding
    }

    /// Snapshots of the state machines, for the TU and for tests.
    public func clientInviteTransaction(_ id: ClientTransactionID) -> ClientInviteTransaction? {
        clientInvites[id]?.machine
    }

    public func clientNonInviteTransaction(_ id: ClientTransactionID) -> ClientNonInviteTransaction? {
        clientNonInvites[id]?.machine
    }

    public func serverInviteTransaction(_ id: ServerTransactionID) -> ServerInviteTransaction? {
        serverInvites[id]?.machine
    }

    public func serverNonInviteTransaction(_ id: ServerTransactionID) -> ServerNonInviteTransaction? {
        serverNonInvites[id]?.machine
    }
}
