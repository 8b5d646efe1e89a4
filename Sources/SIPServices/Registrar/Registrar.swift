import SIPCore

/// The registrar of RFC 3261 section 10.3 (steps 5 to 8) with RFC 5626 outbound bindings. The caller
/// has already done steps 1 to 4: the Request-URI names our domain, Require is understood, the request
/// is authenticated as `identity`, and `aor` (the canonical To URI) exists.
public struct Registrar: Sendable {
    public struct Settings: Hashable, Sendable {
        /// Below this a non-zero expiry gets 423 with Min-Expires (RFC 3261 section 10.3 step 6).
        public var minExpires: Int
        /// Longer requests are shortened to this (RFC 3261 section 10.2.1: the registrar may shorten).
        public var maxExpires: Int
        /// Used when neither the contact nor the request gives an expiry (RFC 3261 section 10.3 step 6).
        public var defaultExpires: Int
        public var maxContactsPerAOR: Int

        public init(
            minExpires: Int = 60, maxExpires: Int = 3600, defaultExpires: Int = 3600, maxContactsPerAOR: Int = 10
        ) {
            self.minExpires = max(1, minExpires)
            self.maxExpires = max(self.minExpires, maxExpires)
            self.defaultExpires = min(max(defaultExpires, self.minExpires), self.maxExpires)
            self.maxContactsPerAOR = max(1, maxContactsPerAOR)
        }
    }

    public let settings: Settings
    public var location: LocationService

    public init(settings: Settings = Settings()) {
        self.settings = settings
        self.location = LocationService(maxContactsPerAOR: settings.maxContactsPerAOR)
    }

    /// One Contact of the request, read and checked.
    struct ContactRequest {
        var address: NameAddress
        var expires: Int
        var q: Double
        var instanceID: String?
        var regID: Int?
    }

    /// Processes a REGISTER for `aor`. All of its contacts take effect, or none (RFC 3261 section 10.3
    /// step 7).
    public mutating func register(
        _ request: SIPRequest, aor: AOR, identity: PrivateIdentity, source: SIPSource, now: UnixTime
    ) -> RegistrarOutcome {
        // RFC 3261 section 10.3 step 4: only the AOR's own identities may change its bindings.
        guard RequestAuthorization.mayRegister(identity: identity, toAOR: aor) else {
            return Self.reject(.forbidden, "Forbidden (not your address of record)")
        }
        let contactHeader: ContactHeader?
        let expiresHeader: UInt32?
        let parsedCallID: CallID?
        let parsedCSeq: CSeq?
        let path: [NameAddress]
        let viaCount: Int
        do {
            contactHeader = try request.headers.contact()
            expiresHeader = try request.headers.expires
            parsedCallID = try request.headers.callID
            parsedCSeq = try request.headers.cseq
            path = try request.headers.path
            viaCount = try request.headers.via.count
        } catch {
            return Self.reject(error.status, error.reasonPhrase)
        }
        guard let callID = parsedCallID, let cseq = parsedCSeq else {
            return Self.reject(.badRequest, "Bad Request (missing Call-ID or CSeq)")
        }
        let supported = Set(request.headers.tokens(.supported).map { $0.lowercased() })
        let userAgent = request.headers.first(.userAgent).map { String($0.valueString.prefix(256)) }
        // The REGISTER's Accept says which message bodies the device shows (DESIGN.md: room messages go as
        // message/cpim, RFC 3862, only to devices that list it).
        let acceptsCPIM = request.headers.tokens(.accept).contains { HeaderValueEssence.of($0) == "message/cpim" }

        var working = location.storedBindings(for: aor)
        var changes: [BindingChange] = []
        // Bindings that expired meanwhile are gone before anything else (section 10.3 step 8 lists only
        // live ones); the store hears of them too.
        let expired = working.filter { $0.isExpired(at: now) }
        working.removeAll { $0.isExpired(at: now) }
        changes += expired.map(BindingChange.removed)
        let liveBefore = working.count

        var usedOutbound = false
        switch contactHeader {
        case nil:
            // RFC 3261 section 10.2.3: no Contact is a query; the 200 lists the bindings.
            break
        case .wildcard?:
            // RFC 3261 section 10.3 step 6: "*" only with Expires: 0 (and alone, which parsing checked).
            guard expiresHeader == 0 else {
                return Self.reject(.badRequest, "Bad Request (Contact * needs Expires: 0)")
            }
            // Step 7: each binding goes only if this request is newer for it.
            for binding in working where binding.callID == callID && cseq.sequence <= binding.cseq {
                return Self.outOfOrder(binding)
            }
            changes += working.map(BindingChange.removed)
            working.removeAll()
        case .addresses(let addresses)?:
            guard addresses.count <= location.maxContactsPerAOR else {
                return Self.reject(.forbidden, "Forbidden (too many contacts)")
            }
            var requests: [ContactRequest] = []
            for address in addresses {
                switch readContact(address, expiresHeader: expiresHeader) {
                case .success(let contact): requests.append(contact)
                case .failure(let rejection): return rejection.outcome
                }
            }
            // RFC 3261 section 10.3 step 6: too brief, but only when below an hour and not a removal.
            if requests.contains(where: { $0.expires > 0 && $0.expires < 3600 && $0.expires < settings.minExpires }) {
                return .reject(
                    status: .intervalTooBrief, reason: SIPStatus.intervalTooBrief.defaultReasonPhrase,
                    extraHeaders: [HeaderField(.minExpires, String(settings.minExpires))])
            }
            let outboundKeys = requests.compactMap { contact -> String? in
                guard let instanceID = contact.instanceID, let regID = contact.regID else { return nil }
                return "\(regID) \(instanceID)"
            }
            if !outboundKeys.isEmpty {
                // RFC 5626 section 6: one binding per (instance, reg-id) and request.
                guard Set(outboundKeys).count == outboundKeys.count else {
                    return Self.reject(.badRequest, "Bad Request (instance and reg-id repeated)")
                }
                // RFC 5626 section 6: behind a proxy, outbound needs a first hop that supports it (its
                // Path URI carries "ob").
                if viaCount > 1, !(path.first?.uri.sipURI?.parameters.contains(named: "ob") ?? false) {
                    return .reject(
                        status: SIPStatus(439), reason: SIPStatus(439).defaultReasonPhrase, extraHeaders: [])
                }
                usedOutbound = true
            }
            for contact in Self.lastOfEachContact(requests) {
                let candidate = Binding(
                    aor: aor, contact: contact.address, instanceID: contact.instanceID, regID: contact.regID,
                    q: contact.q, expiresAt: now + contact.expires, callID: callID, cseq: cseq.sequence,
                    source: source, path: path, authUsername: identity.authUsername, userAgent: userAgent,
                    acceptsCPIM: acceptsCPIM)
                // RFC 3261 section 10.3 step 7 (binding key per RFC 5626 section 6).
                guard let index = working.firstIndex(where: { LocationService.sameKey($0, candidate) }) else {
                    if contact.expires > 0 {
                        working.append(candidate)
                        changes.append(.added(candidate))
                    }
                    continue
                }
                let existing = working[index]
                // Same Call-ID: the CSeq must be higher, or the whole update is aborted.
                if existing.callID == callID, cseq.sequence <= existing.cseq {
                    return Self.outOfOrder(existing)
                }
                working.remove(at: index)
                if contact.expires == 0 {
                    changes.append(.removed(existing))
                    continue
                }
                // The most recently updated binding goes last (it sorts first among equal q).
                working.append(candidate)
                // A store may key rows by the contact's text: any change to it is a removal and an addition.
                if existing.contact.headerValue == candidate.contact.headerValue {
                    changes.append(.refreshed(candidate))
                } else {
                    changes.append(.removed(existing))
                    changes.append(.added(candidate))
                }
            }
            // A TCP or TLS binding restored after a restart has lost its connection, and its contact is
            // usually the client's old ephemeral port: it gives way, oldest first, before a new contact is
            // refused.
            while working.count > location.maxContactsPerAOR,
                let stale = working.firstIndex(where: {
                    $0.source.flow == .restored && $0.source.transport.isConnectionOriented
                })
            {
                changes.append(.removed(working.remove(at: stale)))
            }
            if working.count > location.maxContactsPerAOR, working.count > liveBefore {
                return Self.reject(.forbidden, "Forbidden (too many contacts)")
            }
        }

        location.setBindings(working, for: aor)
        let contacts = LocationService.ordered(working).map {
            RegisteredContact(binding: $0, expiresIn: $0.remainingSeconds(at: now))
        }
        return .ok(
            RegistrationResult(
                aor: aor, contacts: contacts, changes: changes, usedOutbound: usedOutbound,
                requireOutbound: usedOutbound && supported.contains("outbound"),
                path: supported.contains("path") ? path : []))
    }

    /// Reads one Contact: its expiry (contact parameter, else Expires header, else the default; RFC 3261
    /// section 10.3 step 6), q, and the RFC 5626 instance and reg-id.
    func readContact(_ address: NameAddress, expiresHeader: UInt32?) -> Result<ContactRequest, Rejection> {
        guard case .sip = address.uri else {
            return .failure(Rejection(.badRequest, "Bad Request (Contact is not a SIP URI)"))
        }
        var requested: Int
        if let parameter = address.parameters.first(named: "expires") {
            guard let value = parameter.value.flatMap(Self.deltaSeconds) else {
                return .failure(Rejection(.badRequest, "Bad Request (malformed Contact expires)"))
            }
            requested = value
        } else if let expiresHeader {
            requested = Int(expiresHeader)
        } else {
            requested = settings.defaultExpires
        }
        // RFC 3261 section 10.2.1: the registrar may shorten the interval.
        requested = min(requested, settings.maxExpires)

        var q = 1.0
        if address.parameters.contains(named: "q") {
            guard let value = address.q else {
                return .failure(Rejection(.badRequest, "Bad Request (malformed q)"))
            }
            q = value
        }

        var instanceID: String?
        if let value = address.parameters.first(named: "+sip.instance")?.unquotedValue {
            var text = Substring(value)
            if text.hasPrefix("<"), text.hasSuffix(">") { text = text.dropFirst().dropLast() }
            if !text.isEmpty { instanceID = String(text) }
        }
        // RFC 5626 section 6: reg-id without +sip.instance is ignored. reg-id = 1 to 2^31-1.
        var regID: Int?
        if instanceID != nil, let parameter = address.parameters.first(named: "reg-id") {
            guard let value = parameter.value.flatMap(Self.deltaSeconds), value >= 1, value <= Int(Int32.max) else {
                return .failure(Rejection(.badRequest, "Bad Request (malformed reg-id)"))
            }
            regID = value
        }

        var stored = address
        stored.parameters.remove(named: "expires")
        return .success(ContactRequest(address: stored, expires: requested, q: q, instanceID: instanceID, regID: regID))
    }

    /// A rejection as a value, for `Result`.
    struct Rejection: Error {
        var outcome: RegistrarOutcome

        init(_ status: SIPStatus, _ reason: String) {
            outcome = Registrar.reject(status, reason)
        }
    }

    /// delta-seconds = 1*DIGIT; larger than 2^32-1 reads as 2^32-1 (RFC 3261 section 20.19 and 10.2.1.1).

    static func deltaSeconds(_ text: String) -> Int? {
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
            return nil
        }
        var value = 0
        for byte in text.utf8 {
            value = min(value * 10 + Int(byte - UInt8(ascii: "0")), Int(UInt32.max))
        }
        return value
    }

    /// A Contact listed twice counts once, the last one winning (keys compared as bindings would be).
    static func lastOfEachContact(_ requests: [ContactRequest]) -> [ContactRequest] {
        var result: [ContactRequest] = []
        for request in requests {
            result.removeAll { earlier in
                LocationService.sameKey(
                    instanceID: earlier.instanceID, regID: earlier.regID, uri: earlier.address.uri,
                    otherInstanceID: request.instanceID, otherRegID: request.regID, otherURI: request.address.uri)
            }
            result.append(request)
        }
        return result
    }

    static func reject(_ status: SIPStatus, _ reason: String) -> RegistrarOutcome {
        .reject(status: status, reason: reason, extraHeaders: [])
    }

    /// RFC 3261 section 10.3 step 7: a request not newer than the binding fails (500 is what RFC 3261
    /// section 12.2.2 uses for out-of-order CSeq).
    static func outOfOrder(_ binding: Binding) -> RegistrarOutcome {
        reject(.serverInternalError, "Server Internal Error (CSeq not higher than the binding's \(binding.cseq))")
    }
}
