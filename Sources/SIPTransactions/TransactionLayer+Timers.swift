import NIOCore

extension TransactionLayer {
    /// Fires every timer due at `now`, in deadline order. Each fires at its own deadline, so a late call
    /// keeps the RFC schedule (the retransmissions it missed come out together).
    public mutating func advance(to now: NIODeadline) -> [TransactionEvent<Destination>] {
        var events: [TransactionEvent<Destination>] = []
        while let entry = timerHeap.min, entry.deadline <= now {
            timerHeap.removeMin()
            guard isLive(entry) else { continue }
            fire(entry, into: &events)
        }
        tidyTimers()
        return events
    }

    private mutating func fire(_ entry: TimerHeap.Entry, into events: inout [TransactionEvent<Destination>]) {
        switch entry.owner {
        case .client(let id):
            if id.isInvite {
                guard let peer = clientInvites[id]?.peer,
                    let actions = clientInvites[id]?.machine.fire(entry.timer, now: entry.deadline)
                else { return }
                apply(actions, client: id, peer: peer, into: &events)
            } else {
                guard let peer = clientNonInvites[id]?.peer,
                    let actions = clientNonInvites[id]?.machine.fire(entry.timer, now: entry.deadline)
                else { return }
                apply(actions, client: id, peer: peer, into: &events)
            }
        case .server(let id):
            if id.isInvite {
                guard let peer = serverInvites[id]?.peer,
                    let actions = serverInvites[id]?.machine.fire(entry.timer, now: entry.deadline)
                else { return }
                apply(actions, server: id, peer: peer, requestSource: peer, into: &events)
            } else {
                guard let peer = serverNonInvites[id]?.peer,
                    let actions = serverNonInvites[id]?.machine.fire(entry.timer, now: entry.deadline)
                else { return }
                apply(actions, server: id, peer: peer, requestSource: peer, into: &events)
            }
        }
    }

    /// Whether the entry's transaction still runs that timer for that deadline.
    func isLive(_ entry: TimerHeap.Entry) -> Bool {
        let deadline: NIODeadline?
        switch entry.owner {
        case .client(let id):
            deadline =
                id.isInvite
                ? clientInvites[id]?.machine.deadline(of: entry.timer)
                : clientNonInvites[id]?.machine.deadline(of: entry.timer)
        case .server(let id):
            deadline =
                id.isInvite
                ? serverInvites[id]?.machine.deadline(of: entry.timer)
                : serverNonInvites[id]?.machine.deadline(of: entry.timer)
        }
        return deadline == entry.deadline
    }

    /// Keeps the heap's top live, so that `nextDeadline` is exact, and bounds the stale entries: a
    /// transaction runs at most two timers, so when the heap holds far more entries than that, it is
    /// rebuilt without the stale ones (amortised O(1) per timer started).
    mutating func tidyTimers() {
        while let top = timerHeap.min, !isLive(top) {
            timerHeap.removeMin()
        }
        let live = count.client + count.server
        guard timerHeap.count > 64 + 4 * live else { return }
        var heap = timerHeap
        timerHeap = TimerHeap()
        heap.removeAll { !isLive($0) }
        timerHeap = heap
    }
}
