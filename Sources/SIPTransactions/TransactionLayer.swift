import NIOCore
import SIPCore

/// The transaction layer of RFC 3261 section 17 with the RFC 6026 corrections: it owns every client and
/// server transaction, matches arriving messages to them, and keeps their timers in one heap.
///
/// Sans-IO and generic over `Destination`, where bytes go (the runtime's flow or address type). Not Sendable
/// by design: it has exactly one owner, which feeds it messages and the time and carries out the events.
public struct TransactionLayer<Destination: Hashable & Sendable> {
    /// One transaction with where its messages go and the key it is registered under.
    struct Record<Machine> {
        var machine: Machine
        let peer: Destination
        let key: TransactionKey?
    }

    public let timers: TransactionTimers

    var clientInvites: [ClientTransactionID: Record<ClientInviteTransaction>] = [:]
    var clientNonInvites: [ClientTransactionID: Record<ClientNonInviteTransaction>] = [:]
    var serverInvites: [ServerTransactionID: Record<ServerInviteTransaction>] = [:]
    var serverNonInvites: [ServerTransactionID: Record<ServerNonInviteTransaction>] = [:]
    var clientKeys: [TransactionKey: ClientTransactionID] = [:]
    var serverKeys: [TransactionKey: ServerTransactionID] = [:]
    var timerHeap = TimerHeap()
    private var lastClientID: UInt64 = 0
    private var lastServerID: UInt64 = 0

    public init(timers: TransactionTimers = TransactionTimers()) {
        self.timers = timers
    }

    /// Live transactions.
    public var count: (client: Int, server: Int) {
        (clientInvites.count + clientNonInvites.count, serverInvites.count + serverNonInvites.count)
    }

    /// The earliest pending timer. The heap's top is always a live timer (see `tidyTimers`), so this is
    /// exact and O(1).
    public var nextDeadline: NIODeadline? { timerHeap.min?.deadline }

    // MARK: - From the transport

    /// A request from the transport. A new request creates a server transaction (not for ACK) and goes up
    /// as `.request`; a retransmission gets the last response again or is absorbed; an ACK for a non-2xx
    /// final confirms its INVITE server transaction; an ACK that matches nothing (the ACK for a 2xx,
    /// RFC 6026 section 8.7) goes up as `.strayACK`.
    ///
    /// The runtime validates requests first (`SIPMessageValidator`); one without a readable top Via cannot
    /// be matched or answered and is dropped here, except an ACK, which goes up as stray.
    public mutating func receive(
        request: SIPRequest, from source: Destination, reliable: Bool, now: NIODeadline
    ) -> [TransactionEvent<Destination>] {
        defer { tidyTimers() }
        let isACK = request.method == .ack
        guard let key = TransactionKey.server(for: request) else {
            return isACK ? [.strayACK(request, from: source)] : []
        }
        var events: [TransactionEvent<Destination>] = []
        if isACK {
            // RFC 3261 section 17.2.3: an ACK matches the INVITE server transaction of its key (ACK counts
            // as INVITE); the ACK for a 2xx carries a new branch and matches none.
            guard let id = serverKeys[key], id.isInvite, let peer = serverInvites[id]?.peer,
                let actions = serverInvites[id]?.machine.receiveACK(request, now: now)
            else { return [.strayACK(request, from: source)] }
            apply(actions, server: id, peer: peer, requestSource: source, into: &events)
            return events
        }
        if let id = serverKeys[key] {
            // RFC 3261 sections 17.2.1 and 17.2.2: a retransmission of the request.
            if id.isInvite {
                if let peer = serverInvites[id]?.peer,
                    let actions = serverInvites[id]?.machine.receiveRetransmission(now: now)
                {
                    apply(actions, server: id, peer: peer, requestSource: source, into: &events)
                }
            } else if let peer = serverNonInvites[id]?.peer,
                let actions = serverNonInvites[id]?.machine.receiveRetransmission(now: now)
            {
                apply(actions, server: id, peer: peer, requestSource: source, into: &events)
            }
            return events
        }
        // A new server transaction. RFC 3261 section 17.2.1: "The server transaction MUST generate a 100
        // (Trying) response unless it knows that the TU will generate a provisional or final response within
        // 200 ms": Parley's TU always does, so nothing is sent here.
        lastServerID += 1
        let isInvite = request.method == .invite
        let id = ServerTransactionID(rawValue: lastServerID, isInvite: isInvite)
        if isInvite {
            let machine = ServerInviteTransaction(request: request, reliable: reliable, timers: timers)
            serverInvites[id] = Record(machine: machine, peer: source, key: key)
        } else {
            let machine = ServerNonInviteTransaction(request: request, reliable: reliable, timers: timers)
            serverNonInvites[id] = Record(machine: machine, peer: source, key: key)
        }
        serverKeys[key] = id
        return [.request(request, id, from: source)]
    }

    /// A response from the transport: to its client transaction (RFC 3261 section 17.1.3), which filters it
    /// per its state machine; a response that matches none goes up as `.strayResponse` (RFC 3261 section
    /// 18.1.2 as updated by RFC 6026: the proxy core decides).
    public mutating func receive(response: SIPResponse, now: NIODeadline) -> [TransactionEvent<Destination>] {
        defer { tidyTimers() }
        guard let key = TransactionKey.client(for: response), let id = clientKeys[key] else {
            return [.strayResponse(response)]
        }
        var events: [TransactionEvent<Destination>] = []
        if id.isInvite {
            guard let peer = clientInvites[id]?.peer,
                let actions = clientInvites[id]?.machine.receive(response, now: now)
            else { return [.strayResponse(response)] }
            apply(actions, client: id, peer: peer, into: &events)
        } else {
            guard let peer = clientNonInvites[id]?.peer,
                let actions = clientNonInvites[id]?.machine.receive(response, now: now)
            else { return [.strayResponse(response)] }
            apply(actions, client: id, peer: peer, into: &events)
        }
        return events
    }

    // MARK: - From the TU

    /// The TU sends a request: a client transaction is created and its first `.send` comes back at once.
    /// The request must carry its top Via with a unique RFC 3261 branch (section 8.1.1.7); without one no
    /// response can match it. An ACK is not a transaction (RFC 3261 sections 13.2.2.4 and 17: the ACK for a
    /// 2xx is the TU's): it comes back as a lone `.send`, under an ID that names no transaction.
    public mutating func send(
        request: SIPRequest, to destination: Destination, reliable: Bool, now: NIODeadline
    ) -> (ClientTransactionID, [TransactionEvent<Destination>]) {
        defer { tidyTimers() }
        lastClientID += 1
        let isInvite = request.method == .invite
        let id = ClientTransactionID(rawValue: lastClientID, isInvite: isInvite)
        if request.method == .ack {
            return (id, [.send(.request(request), to: destination)])
        }
        let key = TransactionKey.client(for: request)
        if let key {
            clientKeys[key] = id
        }
        var events: [TransactionEvent<Destination>] = []
        if isInvite {
            var machine = ClientInviteTransaction(request: request, reliable: reliable, timers: timers)
            let actions = machine.start(now: now)
            clientInvites[id] = Record(machine: machine, peer: destination, key: key)
            apply(actions, client: id, peer: destination, into: &events)
        } else {
            var machine = ClientNonInviteTransaction(request: request, reliable: reliable, timers: timers)
            let actions = machine.start(now: now)
            clientNonInvites[id] = Record(machine: machine, peer: destination, key: key)
            apply(actions, client: id, peer: destination, into: &events)
        }
        return (id, events)
    }

    /// The TU answers on a server transaction: 1xx, 2xx and 3xx-6xx per the INVITE (RFC 3261 section 17.2.1,
    /// RFC 6026 section 8.7) or non-INVITE (section 17.2.2) machine. A response the machine may not send in
    /// its state, or for a transaction that is gone, yields nothing.
    public mutating func respond(
        _ response: SIPResponse, to id: ServerTransactionID, now: NIODeadline
    ) -> [TransactionEvent<Destination>] {
        defer { tidyTimers() }
        var events: [TransactionEvent<Destination>] = []
        if id.isInvite {
            guard let peer = serverInvites[id]?.peer,
                let actions = serverInvites[id]?.machine.respond(response, now: now)
            else { return [] }
            apply(actions, server: id, peer: peer, requestSource: peer, into: &events)
        } else {
            guard let peer = serverNonInvites[id]?.peer,
                let actions = serverNonInvites[id]?.machine.respond(response, now: now)
            else { return [] }
            apply(actions, server: id, peer: peer, requestSource: peer, into: &events)
        }
        return events
    }

    /// The transport failed to deliver for this client transaction (RFC 3261 section 17.1.4).
    public mutating func transportFailed(
        _ id: ClientTransactionID, now: NIODeadline
    ) -> [TransactionEvent<Destination>] {
        defer { tidyTimers() }
        var events: [TransactionEvent<Destination>] = []
        if id.isInvite {
            guard let peer = clientInvites[id]?.peer,
                let actions = clientInvites[id]?.machine.transportFailed(now: now)
            else { return [] }
            apply(actions, client: id, peer: peer, into: &events)
        } else {
            guard let peer = clientNonInvites[id]?.peer,
                let actions = clientNonInvites[id]?.machine.transportFailed(now: now)
            else { return [] }
            apply(actions, client: id, peer: peer, into: &events)
        }
        return events
    }

    /// The transport failed to deliver a response of this server transaction (RFC 3261 section 17.2.4).
    public mutating func transportFailed(
        _ id: ServerTransactionID, now: NIODeadline
    ) -> [TransactionEvent<Destination>] {
        defer { tidyTimers() }
        var events: [TransactionEvent<Destination>] = []
        if id.isInvite {
            guard let peer = serverInvites[id]?.peer,
                let actions = serverInvites[id]?.machine.transportFailed(now: now)
            else { return [] }
            apply(actions, server: id, peer: peer, requestSource: peer, into: &events)
        } else {
            guard let peer = serverNonInvites[id]?.peer,
                let actions = serverNonInvites[id]?.machine.transportFailed(now: now)
            else { return [] }
            apply(actions, server: id, peer: peer, requestSource: peer, into: &events)
        }
        return events
    }

    // MARK: - Carrying out actions

    mutating func apply(
        _ actions: [TransactionAction], client id: ClientTransactionID, peer: Destination,
        into events: inout [TransactionEvent<Destination>]
    ) {
        for action in actions {
            switch action {
            case .send(let message):
                events.append(.send(message, to: peer))
            case .passToTU(let message):
                if case .response(let response) = message {
                    events.append(.response(response, id))
                }
            case .timeout:
                events.append(.clientTimeout(id))
            case .transportError:
                events.append(.clientTransportError(id))
            case .startTimer(let timer, let deadline):
                timerHeap.push(timer, at: deadline, owner: .client(id))
            case .terminate:
                removeClient(id)
                events.append(.clientTerminated(id))
            }
        }
    }

    /// `requestSource` is where the request being handled came from: an ACK passed up goes out with it.
    mutating func apply(
        _ actions: [TransactionAction], server id: ServerTransactionID, peer: Destination,
        requestSource: Destination, into events: inout [TransactionEvent<Destination>]
    ) {
        for action in actions {
            switch action {
            case .send(let message):
                events.append(.send(message, to: peer))
            case .passToTU(let message):
                if case .request(let ack) = message {
                    events.append(.strayACK(ack, from: requestSource))
                }
            case .timeout:
                events.append(.serverTimeout(id))
            case .transportError:
                events.append(.serverTransportError(id))
            case .startTimer(let timer, let deadline):
                timerHeap.push(timer, at: deadline, owner: .server(id))
            case .terminate:
                removeServer(id)
                events.append(.serverTerminated(id))
            }
        }
    }

    /// RFC 3261 section 17.1.1.2: a transaction is destroyed the instant it enters Terminated.
    private mutating func removeClient(_ id: ClientTransactionID) {
        let key =
            id.isInvite
            ? clientInvites.removeValue(forKey: id)?.key : clientNonInvites.removeValue(forKey: id)?.key
        // A key taken over by a later transaction with the same branch stays with that one.
        if let key, clientKeys[key] == id {
            clientKeys[key] = nil
        }
    }

    private mutating func removeServer(_ id: ServerTransactionID) {
        let key =
            id.isInvite
            ? serverInvites.removeValue(forKey: id)?.key : serverNonInvites.removeValue(forKey: id)?.key
        if let key, serverKeys[key] == id {
            serverKeys[key] = nil
        }
    }
}
