import NIOCore

/// Which transaction a timer belongs to.
enum TimerOwner: Hashable, Sendable {
    case client(ClientTransactionID)
    case server(ServerTransactionID)
}

/// A binary min-heap of pending transaction timers, ordered by deadline and then by the order they were
/// started in. Entries are never removed early: the layer drops an entry whose transaction no longer has that
/// timer at that deadline (lazy deletion), so stopping a timer costs nothing here.
struct TimerHeap: Sendable {
    struct Entry: Hashable, Sendable {
        var deadline: NIODeadline
        var sequence: UInt64
        var owner: TimerOwner
        var timer: TransactionTimer

        @inline(__always)
        func precedes(_ other: Entry) -> Bool {
            deadline < other.deadline || (deadline == other.deadline && sequence < other.sequence)
        }
    }

    private var entries: [Entry] = []
    private var nextSequence: UInt64 = 0

    var count: Int { entries.count }
    var isEmpty: Bool { entries.isEmpty }

    /// The earliest entry.
    var min: Entry? { entries.first }

    mutating func push(_ timer: TransactionTimer, at deadline: NIODeadline, owner: TimerOwner) {
        nextSequence &+= 1
        entries.append(Entry(deadline: deadline, sequence: nextSequence, owner: owner, timer: timer))
        siftUp(entries.count - 1)
    }

    @discardableResult
    mutating func removeMin() -> Entry? {
        guard !entries.isEmpty else { return nil }
        let last = entries.count - 1
        entries.swapAt(0, last)
        let minimum = entries.removeLast()
        if !entries.isEmpty { siftDown(0) }
        return minimum
    }

    /// Drops every entry `shouldRemove` picks and restores the heap order in O(n).
    mutating func removeAll(where shouldRemove: (Entry) -> Bool) {
        entries.removeAll(where: shouldRemove)
        var index = entries.count / 2 - 1
        while index >= 0 {
            siftDown(index)
            index -= 1
        }
    }

    private mutating func siftUp(_ start: Int) {
        var child = start
        let entry = entries[child]
        while child > 0 {
            let parent = (child - 1) / 2
            guard entry.precedes(entries[parent]) else { break }
            entries[child] = entries[parent]
            child = parent
        }
        entries[child] = entry
    }

    private mutating func siftDown(_ start: Int) {
        var parent = start
        let count = entries.count
        let entry = entries[parent]
        while true {
            let left = 2 * parent + 1
            guard left < count else { break }
            let right = left + 1
            let child = right < count && entries[right].precedes(entries[left]) ? right : left
            guard entries[child].precedes(entry) else { break }
            entries[parent] = entries[child]
            parent = child
        }
        entries[parent] = entry
    }
}
