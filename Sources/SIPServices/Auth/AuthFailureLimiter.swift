/// Slows password guessing: counts failed authentications per source host in a sliding window and bans
/// a host that reaches the limit for a while. Banned hosts get no challenge at all (the caller answers
/// 403 or drops). Memory is bounded: past `maxTrackedHosts`, idle hosts go first, then the longest
/// unseen, banned ones last.
public struct AuthFailureLimiter: Sendable {
    public struct Settings: Hashable, Sendable {
        public var windowSeconds: Int
        /// Failures within the window that trigger a ban.
        public var maxFailures: Int
        public var banSeconds: Int
        public var maxTrackedHosts: Int
        /// IPv6 sources are counted per /64: one host usually owns a whole /64.
        public var groupsIPv6Prefixes: Bool

        public init(
            windowSeconds: Int = 60, maxFailures: Int = 10, banSeconds: Int = 300, maxTrackedHosts: Int = 10_000,
            groupsIPv6Prefixes: Bool = true
        ) {
            self.windowSeconds = windowSeconds
            self.maxFailures = max(1, maxFailures)
            self.banSeconds = banSeconds
            self.maxTrackedHosts = max(1, maxTrackedHosts)
            self.groupsIPv6Prefixes = groupsIPv6Prefixes
        }
    }

    private struct Entry: Sendable {
        /// Times of the failures still inside the window, oldest first.
        var failures: [UnixTime] = []
        var bannedUntil: UnixTime?
        var lastSeen: UnixTime
    }

    public var settings: Settings
    private var entries: [String: Entry] = [:]

    public init(settings: Settings = Settings()) {
        self.settings = settings
    }

    /// Hosts currently tracked (failures in the window or a ban).
    public var trackedHosts: Int { entries.count }

    public func isBanned(_ host: String, now: UnixTime) -> Bool {
        guard let bannedUntil = entries[key(for: host)]?.bannedUntil else { return false }
        return bannedUntil > now
    }

    /// When the ban on `host` ends, if it is banned.
    public func banEnd(_ host: String, now: UnixTime) -> UnixTime? {
        guard let bannedUntil = entries[key(for: host)]?.bannedUntil, bannedUntil > now else { return nil }
        return bannedUntil
    }

    /// Counts one failure; returns true when this failure started a ban.
    @discardableResult
    public mutating func recordFailure(_ host: String, now: UnixTime) -> Bool {
        let hostKey = self.key(for: host)
        var entry = entries[hostKey] ?? Entry(lastSeen: now)
        entry.lastSeen = now
        if let bannedUntil = entry.bannedUntil {
            if bannedUntil > now {
                entries[hostKey] = entry
                return false
            }
            entry.bannedUntil = nil
        }
        let windowStart = now - settings.windowSeconds
        entry.failures.removeAll { $0 <= windowStart }
        entry.failures.append(now)
        var banned = false
        if entry.failures.count >= settings.maxFailures {
            entry.bannedUntil = now + settings.banSeconds
            entry.failures.removeAll()
            banned = true
        }
        entries[hostKey] = entry
        if entries.count > settings.maxTrackedHosts { evict(now: now) }
        return banned
    }

    /// A successful authentication clears the host's failures (not a running ban).
    public mutating func recordSuccess(_ host: String) {
        let hostKey = self.key(for: host)
        guard var entry = entries[hostKey] else { return }
        entry.failures.removeAll()
        if entry.bannedUntil == nil {
            entries[hostKey] = nil
        } else {
            entries[hostKey] = entry
        }
    }

    /// Drops entries with nothing left to remember at `now`.
    public mutating func purge(now: UnixTime) {
        let windowStart = now - settings.windowSeconds
        entries = entries.filter { _, entry in
            if let bannedUntil = entry.bannedUntil, bannedUntil > now { return true }
            return entry.failures.contains { $0 > windowStart }
        }
    }

    /// Purges, then if still over the cap removes a tenth of the cap at once (amortised), non-banned and
    /// least recently seen first.
    private mutating func evict(now: UnixTime) {
        purge(now: now)
        guard entries.count > settings.maxTrackedHosts else { return }
        let target = settings.maxTrackedHosts - max(1, settings.maxTrackedHosts / 10)
        let victims = entries.sorted { lhs, rhs in
            let leftBanned = (lhs.value.bannedUntil ?? now) > now
            let rightBanned = (rhs.value.bannedUntil ?? now) > now
            if leftBanned != rightBanned { return !leftBanned }
            return lhs.value.lastSeen < rhs.value.lastSeen
        }.prefix(max(0, entries.count - target))
        for (victim, _) in victims { entries[victim] = nil }
    }

    /// The counting key: the address itself, or for IPv6 its /64 prefix. IPv4-mapped IPv6 counts as IPv4.
    func key(for host: String) -> String {
        var address = host
        if address.hasPrefix("["), address.hasSuffix("]") { address = String(address.dropFirst().dropLast()) }
        if let percent = address.firstIndex(of: "%") { address = String(address[..<percent]) }
        address = address.lowercased()
        guard address.contains(":") else { return address }
        if address.contains(".") {
            // ::ffff:192.0.2.1 and friends: the embedded IPv4 address.
            if let colon = address.lastIndex(of: ":") { return String(address[address.index(after: colon)...]) }
            return address
        }
        guard settings.groupsIPv6Prefixes, let groups = Self.expandIPv6(address) else { return address }
        return groups.prefix(4).map { String($0, radix: 16) }.joined(separator: ":") + "::/64"
    }

    /// The eight 16-bit groups of an IPv6 address in text form (no embedded IPv4), or nil.
    static func expandIPv6(_ text: String) -> [UInt16]? {
        let bytes = Array(text.utf8)
        let colon = UInt8(ascii: ":")
        var doubleColon: Int?
        var index = 0
        while index + 1 < bytes.count {
            if bytes[index] == colon, bytes[index + 1] == colon {
                guard doubleColon == nil else { return nil }
                doubleColon = index
                index += 2
            } else {
                index += 1
            }
        }
        func groups(_ part: ArraySlice<UInt8>) -> [UInt16]? {
            if part.isEmpty { return [] }
            var result: [UInt16] = []
            for piece in part.split(separator: colon, omittingEmptySubsequences: false) {
                guard !piece.isEmpty, piece.count <= 4,
                    let value = UInt16(String(decoding: piece, as: UTF8.self), radix: 16)
                else { return nil }
                result.append(value)
            }
            return result
        }
        guard let doubleColon else {
            guard let all = groups(bytes[...]), all.count == 8 else { return nil }
            return all
        }
        guard let left = groups(bytes[..<doubleColon]), let right = groups(bytes[(doubleColon + 2)...]),
            left.count + right.count <= 7
        else { return nil }
        return left + Array(repeating: 0, count: 8 - left.count - right.count) + right
    }
}
