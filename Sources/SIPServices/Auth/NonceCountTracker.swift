/// Replay protection for digest nonces (RFC 7616 section 3.3 and 3.4: the nonce-count counts requests
/// made with one nonce, and the server refuses a count it has already seen). Keeps the highest nc seen
/// per nonce; a nonce used without qop (RFC 2069 compatibility) has no count and may be used once.
///
/// Entries go when their nonce expires. The table is capped: past `capacity`, the oldest entries go and
/// every nonce issued no later than the newest one dropped is treated as forgotten (the caller answers
/// stale=true), so eviction never reopens a replay window.
public struct NonceCountTracker: Sendable {
    public enum Outcome: Hashable, Sendable {
        case accepted
        /// The count is not above one already used with this nonce, or a qop-less nonce came back.
        case replayed
        /// The nonce may have been evicted: ask for a fresh one (stale=true).
        case forgotten
    }

    private struct Entry: Sendable {
        var issuedAt: UnixTime
        /// nil: used without qop, so no further use is allowed.
        var highestCount: UInt32?
    }

    public let capacity: Int
    public let lifetimeSeconds: Int
    private var entries: [String: Entry] = [:]
    /// Nonces in the order they were first used; `head` is the first live index.
    private var order: [String] = []
    private var head = 0
    /// Issue time of the newest nonce evicted for room.
    private var evictedThrough: UnixTime?

    public init(capacity: Int = 100_000, lifetimeSeconds: Int = 300) {
        self.capacity = max(1, capacity)
        self.lifetimeSeconds = lifetimeSeconds
    }

    public var count: Int { entries.count }

    /// Records one use of `nonce`. `nonceCount` is the parsed nc (nil when the request had no qop).
    /// Call only for requests whose response already matched, so forged requests cannot burn counts.
    public mutating func use(nonce: String, issuedAt: UnixTime, nonceCount: UInt32?, now: UnixTime) -> Outcome {
        purgeExpired(now: now)
        if var entry = entries[nonce] {
            guard let highest = entry.highestCount, let nonceCount, nonceCount > highest else {
                return .replayed
            }
            entry.highestCount = nonceCount
            entries[nonce] = entry
            return .accepted
        }
        if let evictedThrough, issuedAt <= evictedThrough { return .forgotten }
        entries[nonce] = Entry(issuedAt: issuedAt, highestCount: nonceCount)
        order.append(nonce)
        while entries.count > capacity, head < order.count {
            let oldest = order[head]
            head += 1
            if let removed = entries.removeValue(forKey: oldest) {
                evictedThrough = max(evictedThrough ?? removed.issuedAt, removed.issuedAt)
            }
        }
        compact()
        return .accepted
    }

    /// RFC 7616 section 3.3: nothing needs remembering about a nonce past its lifetime (it is stale).
    public mutating func purgeExpired(now: UnixTime) {
        while head < order.count {
            let nonce = order[head]
            if let entry = entries[nonce] {
                guard entry.issuedAt + lifetimeSeconds < now else { break }
                entries[nonce] = nil
            }
            head += 1
        }
        if let evictedThrough, evictedThrough + lifetimeSeconds < now { self.evictedThrough = nil }
        compact()
    }

    private mutating func compact() {
        if head == order.count {
            order.removeAll(keepingCapacity: true)
            head = 0
        } else if head > 1024, head * 2 > order.count {
            order.removeFirst(head)
            head = 0
        }
    }
}
