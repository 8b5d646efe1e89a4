import SIPCore

/// The presence event state compositor's memory (RFC 3903): publications by address of record, with
/// entity tags and expiry. Pure: the caller passes the time and the new entity tag.
public struct PresencePublications: Sendable {
    public var minExpires: Int
    public var maxExpires: Int
    public var defaultExpires: Int
    /// Publications kept per AOR (devices and tabs of one person); a new one beyond this replaces the oldest.
    public var maxPerAOR = 16
    private var byAOR: [AOR: [String: PresencePublication]] = [:]

    public init(minExpires: Int = 60, maxExpires: Int = 3600, defaultExpires: Int = 3600) {
        self.minExpires = minExpires
        self.maxExpires = maxExpires
        self.defaultExpires = defaultExpires
    }

    /// Section 6: `ifMatch` is SIP-If-Match; `status` is the body's reading, nil without a body.
    public mutating func publish(
        aor: AOR, ifMatch: String?, expires: Int?, status: PresenceStatus?, publisher: String, now: UnixTime,
        newEntityTag: String
    ) -> PublicationOutcome {
        // Step 4: a SIP-If-Match must name a publication we hold, or 412.
        var existing: PresencePublication?
        if let ifMatch {
            guard let found = byAOR[aor]?[ifMatch], found.expiresAt > now else {
                return .rejected(SIPStatus(412), reason: "Conditional Request Failed", minExpires: nil)
            }
            existing = found
        } else if status == nil {
            // Step 3: an initial publication must carry state.
            return .rejected(.badRequest, reason: "Bad Request (an initial PUBLISH needs a body)", minExpires: nil)
        }
        let requested = expires ?? defaultExpires
        if requested == 0 {
            guard let existing else {
                return .rejected(
                    .badRequest, reason: "Bad Request (nothing to remove without SIP-If-Match)", minExpires: nil)
            }
            byAOR[aor]?[existing.entityTag] = nil
            if byAOR[aor]?.isEmpty == true { byAOR[aor] = nil }
            return .removed
        }
        // Step 5: too short is 423 with Min-Expires; too long is shortened.
        guard requested >= minExpires else {
            return .rejected(SIPStatus(423), reason: "Interval Too Brief", minExpires: minExpires)
        }
        let granted = min(requested, maxExpires)
        if let existing { byAOR[aor]?[existing.entityTag] = nil }
        // Step 7: every successful PUBLISH gets a new entity tag; a refresh keeps the state.
        let publication = PresencePublication(
            entityTag: newEntityTag, status: status ?? existing!.status, expiresAt: now.adding(seconds: Int64(granted)),
            modifiedAt: status == nil ? existing!.modifiedAt : now, publisher: publisher)
        byAOR[aor, default: [:]][newEntityTag] = publication
        if let all = byAOR[aor], all.count > maxPerAOR,
            let oldest = all.values.min(by: { $0.modifiedAt < $1.modifiedAt })
        {
            byAOR[aor]?[oldest.entityTag] = nil
        }
        return .published(entityTag: newEntityTag, expires: granted)
    }

    /// The live publications for `aor`, newest first.
    public func publications(for aor: AOR, now: UnixTime) -> [PresencePublication] {
        (byAOR[aor]?.values.filter { $0.expiresAt > now } ?? []).sorted { $0.modifiedAt > $1.modifiedAt }
    }

    /// Drops expired publications; returns the AORs whose state changed.
    public mutating func expire(now: UnixTime) -> [AOR] {
        var changed: [AOR] = []
        for (aor, publications) in byAOR {
            let live = publications.filter { $0.value.expiresAt > now }
            guard live.count != publications.count else { continue }
            byAOR[aor] = live.isEmpty ? nil : live
            changed.append(aor)
        }
        return changed
    }
}
