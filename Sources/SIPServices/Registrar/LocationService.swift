import SIPCore

/// The location service of RFC 3261 section 10: bindings per AOR, as the registrar leaves them and the
/// proxy reads them. Each AOR's bindings are kept oldest-updated first.
public struct LocationService: Sendable {
    /// Bound on bindings per AOR: the registrar refuses a REGISTER that would go beyond it.
    public var maxContactsPerAOR: Int
    private var table: [AOR: [Binding]] = [:]
    /// The AORs with a binding on each flow, so that a closing flow costs its own bindings only.
    private var aorsByFlow: [FlowID: Set<AOR>] = [:]
    /// No binding expires before this: `expire(now:)` has nothing to do until then.
    private var earliestExpiry: UnixTime?

    public init(maxContactsPerAOR: Int = 10) {
        self.maxContactsPerAOR = max(1, maxContactsPerAOR)
    }

    /// The unexpired bindings of `aor`, highest q first, then most recently updated first
    /// (RFC 3261 section 16.6: targets are tried in q order).
    public func bindings(for aor: AOR, now: UnixTime) -> [Binding] {
        Self.ordered((table[aor] ?? []).filter { !$0.isExpired(at: now) })
    }

    /// Every stored binding (expired ones included until `expire(now:)` runs), AOR by AOR.
    public var allBindings: [Binding] {
        table.keys.sorted().flatMap { table[$0] ?? [] }
    }

    /// The bindings reached over `flow`.
    public func bindings(onFlow flow: FlowID) -> [Binding] {
        (aorsByFlow[flow] ?? []).sorted().flatMap { aor in (table[aor] ?? []).filter { $0.source.flow == flow } }
    }

    public var count: Int { table.values.reduce(0) { $0 + $1.count } }

    public var aorCount: Int { table.count }

    public func count(for aor: AOR, now: UnixTime) -> Int {
        (table[aor] ?? []).reduce(0) { $0 + ($1.isExpired(at: now) ? 0 : 1) }
    }

    /// The earliest expiry: when `expire(now:)` next has work.
    public var nextExpiry: UnixTime? {
        table.values.lazy.flatMap { $0 }.map(\.expiresAt).min()
    }

    /// Removes and returns the bindings expired at `now`. Called once a second; it walks the table only
    /// when the earliest expiry has come.
    @discardableResult
    public mutating func expire(now: UnixTime) -> [Binding] {
        if let earliestExpiry, earliestExpiry > now { return [] }
        var removed: [Binding] = []
        var earliest: UnixTime?
        for aor in Array(table.keys) {
            guard let bindings = table[aor] else { continue }
            let (gone, kept) = Self.split(bindings) { $0.isExpired(at: now) }
            for binding in kept where earliest == nil || binding.expiresAt < earliest! { earliest = binding.expiresAt }
            guard !gone.isEmpty else { continue }
            removed += gone
            replace(aor, with: kept)
        }
        earliestExpiry = earliest
        return removed
    }

    /// RFC 5626 section 6 (and RFC 7118 section 5 for WebSockets): when a flow closes, the bindings
    /// reached over it are unreachable and go at once.
    @discardableResult
    public mutating func removeBindings(onFlow flow: FlowID) -> [Binding] {
        var removed: [Binding] = []
        for aor in (aorsByFlow[flow] ?? []).sorted() {
            guard let bindings = table[aor] else { continue }
            let (gone, kept) = Self.split(bindings) { $0.source.flow == flow }
            guard !gone.isEmpty else { continue }
            removed += gone
            replace(aor, with: kept)
        }
        return removed
    }

    /// Removes every binding of `aor` (its user was deleted).
    @discardableResult
    public mutating func removeBindings(for aor: AOR) -> [Binding] {
        let removed = table[aor] ?? []
        replace(aor, with: [])
        return removed
    }

    /// Loads persisted bindings after a restart. Expired ones are skipped; a binding whose contact (or
    /// RFC 5626 instance and reg-id) is already live is skipped too. Each AOR keeps at most
    /// `maxContactsPerAOR`, the soonest-expiring going first. Returns what was not loaded, for the store
    /// to delete.
    @discardableResult
    public mutating func restore(_ bindings: [Binding], now: UnixTime) -> [Binding] {
        var skipped: [Binding] = []
        // Later expiry stands in for "more recently updated".
        for binding in bindings.sorted(by: { $0.expiresAt < $1.expiresAt }) {
            guard !binding.isExpired(at: now) else {
                skipped.append(binding)
                continue
            }
            var current = table[binding.aor] ?? []
            if current.contains(where: { Self.sameKey($0, binding) }) {
                skipped.append(binding)
                continue
            }
            current.append(binding)
            while current.count > maxContactsPerAOR {
                skipped.append(current.removeFirst())
            }
            replace(binding.aor, with: current)
        }
        return skipped
    }

    /// The bindings of `aor` as stored, oldest-updated first, expired ones included.
    func storedBindings(for aor: AOR) -> [Binding] {
        table[aor] ?? []
    }

    /// Replaces the bindings of `aor` (the registrar commits a whole REGISTER at once, RFC 3261
    /// section 10.3 step 7).
    mutating func setBindings(_ bindings: [Binding], for aor: AOR) {
        replace(aor, with: bindings)
    }

    /// The one place the table changes: keeps the flow index and the earliest expiry in step.
    private mutating func replace(_ aor: AOR, with bindings: [Binding]) {
        let oldFlows = Set((table[aor] ?? []).map(\.source.flow))
        let newFlows = Set(bindings.map(\.source.flow))
        for flow in oldFlows.subtracting(newFlows) {
            aorsByFlow[flow]?.remove(aor)
            if aorsByFlow[flow]?.isEmpty == true { aorsByFlow[flow] = nil }
        }
        for flow in newFlows.subtracting(oldFlows) {
            aorsByFlow[flow, default: []].insert(aor)
        }
        table[aor] = bindings.isEmpty ? nil : bindings
        for binding in bindings where earliestExpiry == nil || binding.expiresAt < earliestExpiry! {
            earliestExpiry = binding.expiresAt
        }
    }

    /// RFC 5626 section 6: (instance, reg-id) is the key when both bindings have them; otherwise the
    /// contact URI compared by RFC 3261 section 19.1.4 (so an outbound registration replaces a plain one
    /// of the same contact).
    static func sameKey(_ lhs: Binding, _ rhs: Binding) -> Bool {
        sameKey(
            instanceID: lhs.instanceID, regID: lhs.regID, uri: lhs.contact.uri,
            otherInstanceID: rhs.instanceID, otherRegID: rhs.regID, otherURI: rhs.contact.uri)
    }

    static func sameKey(
        instanceID: String?, regID: Int?, uri: URI, otherInstanceID: String?, otherRegID: Int?, otherURI: URI
    ) -> Bool {
        if instanceID != nil, regID != nil, otherInstanceID != nil, otherRegID != nil {
            return instanceID == otherInstanceID && regID == otherRegID
        }
        return SIPURIEquivalence.equivalent(uri, otherURI)
    }

    /// Highest q first; among equal q, the most recently updated (later in storage order) first.
    static func ordered(_ bindings: [Binding]) -> [Binding] {
        bindings.enumerated().sorted { lhs, rhs in
            if lhs.element.q != rhs.element.q { return lhs.element.q > rhs.element.q }
            return lhs.offset > rhs.offset
        }.map(\.element)
    }

    private static func split(_ bindings: [Binding], where isGone: (Binding) -> Bool) -> ([Binding], [Binding]) {
        var gone: [Binding] = []
        var kept: [Binding] = []
        for binding in bindings {
            if isGone(binding) { gone.append(binding) } else { kept.append(binding) }
        }
        return (gone, kept)
    }
}
