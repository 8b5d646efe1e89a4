import NIOCore
import SIPCore
import SIPServices
import SIPTransactions
import SIPTransport

/// Parley as presence server (RFC 3856) for its users: the event state compositor for PUBLISH (RFC 3903)
/// and the notifier for SUBSCRIBE (RFC 6665), single users with PIDF (RFC 3863) and buddy lists as resource
/// lists (RFC 4662). A user's presence composes registrations, publications and calls through Parley.
extension SIPServer {
    /// The suffix of a buddy list URI: `sip:alice+buddies@domain` (`+` never occurs in a user name).
    static let buddyListSuffix = "+buddies"
    static let presenceMinExpires = 60
    static let presenceMaxExpires = 3600
    /// Subscriptions one user may hold at once (every tab and device of theirs together).
    static let maxSubscriptionsPerUser = 64
    /// A call Parley saw answered but never saw end (no BYE through it) stops counting after this.
    static let maxCallSeconds: Int64 = 12 * 3600

    /// PUBLISH and SUBSCRIBE for the presence event of a local user or buddy list, from an authenticated
    /// local user: true when Parley answered it as presence server.
    func takePresenceRequest(
        _ request: SIPRequest, _ id: ServerTransactionID, identity: PrivateIdentity, to: NameAddress,
        source: SIPSource, now: NIODeadline
    ) -> Bool {
        switch request.method {
        case .publish:
            guard let aor = AOR(uri: request.uri), directory.publicIdentityExists(aor) else { return false }
            handlePublish(request, id, aor: aor, identity: identity, now: now)
            return true
        case .subscribe:
            let event = request.headers.first(.event).map { HeaderValueEssence.of($0.valueString) }
            guard event == "presence" else { return false }
            if let tag = to.tag {
                // RFC 6665 section 4.1.2.2: a refresh or an unsubscribe within a subscription we made.
                refreshSubscription(request, id, localTag: tag.value, identity: identity, source: source, now: now)
                return true
            }
            guard let resource = presenceResource(request.uri) else { return false }
            createSubscription(request, id, resource: resource, identity: identity, source: source, now: now)
            return true
        default:
            return false
        }
    }

    /// The `id` parameter of an Event header (RFC 6665 section 8.2.1), part of a subscription's identity.
    static func eventID(_ request: SIPRequest) -> String? {
        guard let value = request.headers.first(.event)?.valueString else { return nil }
        for parameter in value.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.filter { $0 != " " && $0 != "\t" } }
            if pair.count == 2, pair[0].lowercased() == "id" { return String(pair[1]) }
        }
        return nil
    }

    /// What a Request-URI names for presence: a user of the domain, or a user's buddy list.
    func presenceResource(_ uri: URI) -> PresenceSubscription.Resource? {
        guard let aor = AOR(uri: uri), aor.domain == configuration.domain.lowercased() else { return nil }
        if aor.user.hasSuffix(Self.buddyListSuffix) {
            let owner = AOR(user: String(aor.user.dropLast(Self.buddyListSuffix.count)), domain: aor.domain)
            return directory.publicIdentityExists(owner) ? .buddyList(owner: owner) : nil
        }
        return directory.publicIdentityExists(aor) ? .user(aor) : nil
    }

    // MARK: PUBLISH

    func handlePublish(
        _ request: SIPRequest, _ id: ServerTransactionID, aor: AOR, identity: PrivateIdentity, now: NIODeadline
    ) {
        guard RequestAuthorization.mayAssert(identity: identity, fromAOR: aor) else {
            return respond(
                id, request, .forbidden, reason: "Forbidden (you may publish only your own presence)", now: now)
        }
        // RFC 3903 section 6 step 2: only the presence event is composed here.
        guard request.headers.first(.event).map({ HeaderValueEssence.of($0.valueString) }) == "presence" else {
            return respond(
                id, request, SIPStatus(489), reason: "Bad Event", headers: [(.allowEvents, "presence")], now: now)
        }
        let expires: Int?
        do { expires = try request.headers.expires.map(Int.init) } catch {
            return respond(id, request, error.status, reason: error.reasonPhrase, now: now)
        }
        var status: PresenceStatus?
        if request.body.readableBytes > 0 {
            let type = request.headers.first(.contentType).map { HeaderValueEssence.of($0.valueString) }
            guard type == PIDFDocument.mediaType else {
                return respond(
                    id, request, .unsupportedMediaType, reason: "Unsupported Media Type (send PIDF)",
                    headers: [(.accept, PIDFDocument.mediaType)], now: now)
            }
            do {
                status = try PIDFDocument.read(String(decoding: request.body.readableBytesView, as: UTF8.self))
            } catch .tooLarge {
                return respond(
                    id, request, SIPStatus(413), reason: "Request Entity Too Large (PIDF over 64 KiB)", now: now)
            } catch {
                return respond(
                    id, request, .badRequest, reason: "Bad Request (not a PIDF document: \(error))", now: now)
            }
        }
        let outcome = publications.publish(
            aor: aor, ifMatch: request.headers.first(.sipIfMatch)?.valueString, expires: expires, status: status,
            publisher: identity.authUsername, now: wallClock(), newEntityTag: randomToken())
        switch outcome {
        case .published(let entityTag, let granted):
            respond(id, request, .ok, headers: [(.sipETag, entityTag), (.expires, String(granted))], now: now)
        case .removed:
            respond(id, request, .ok, now: now)
        case .rejected(let code, let reason, let minExpires):
            return respond(
                id, request, code, reason: reason, headers: minExpires.map { [(.minExpires, String($0))] } ?? [],
                now: now)
        }
        presenceChanged([aor], now: now)
    }

    // MARK: Composition

    /// A user's presence now (DESIGN.md: the composition of all their private identities).
    func presence(of aor: AOR) -> PresenceStatus {
        let clock = wallClock()
        return PresenceComposition.compose(
            isRegistered: registrar.location.count(for: aor, now: clock) > 0,
            publications: publications.publications(for: aor, now: clock), inCall: (callsInProgress[aor] ?? 0) > 0)
    }

    /// Do-not-disturb: calls and private messages to this user are refused.
    func isDoNotDisturb(_ aor: AOR) -> Bool {
        publications.publications(for: aor, now: wallClock()).first?.status.manual == .doNotDisturb
    }

    /// Something that makes up these users' presence changed: watchers hear of what really changed.
    func presenceChanged(_ aors: some Sequence<AOR>, now: NIODeadline) {
        var changed: Set<AOR> = []
        for aor in aors {
            let status = presence(of: aor)
            if composedPresence[aor] != status {
                composedPresence[aor] = status
                changed.insert(aor)
            }
        }
        guard !changed.isEmpty else { return }
        for (key, subscription) in presenceSubscriptions {
            switch subscription.resource {
            case .user(let aor):
                if changed.contains(aor) { notify(key, now: now) }
            case .buddyList(let owner):
                if !changed.isDisjoint(with: buddies(of: owner)) || !changed.isDisjoint(with: subscription.sent.keys) {
                    notify(key, now: now)
                }
            }
        }
    }

    /// Everyone who shares a room with `owner`.
    func buddies(of owner: AOR) -> Set<AOR> {
        guard let chat else { return [] }
        var result: Set<AOR> = []
        for room in chat.directory.rooms(of: owner.user) {
            for member in room.members where member != owner.user {
                result.insert(AOR(user: member, domain: owner.domain))
            }
        }
        return result
    }

    // MARK: SUBSCRIBE

    func createSubscription(
        _ request: SIPRequest, _ id: ServerTransactionID, resource: PresenceSubscription.Resource,
        identity: PrivateIdentity, source: SIPSource, now: NIODeadline
    ) {
        // RFC 3856 section 6.6: the presence server decides who may watch. Here: oneself and one's buddies
        // (people who share a room), the same circle the buddy list shows.
        if case .user(let watched) = resource, watched != identity.aor, !buddies(of: identity.aor).contains(watched) {
            return respond(
                id, request, .forbidden, reason: "Forbidden (\(watched.user) shares no room with you)", now: now)
        }
        let held = presenceSubscriptions.values.filter { $0.subscriber == identity.aor }.count
        guard held < Self.maxSubscriptionsPerUser else {
            return respond(id, request, .forbidden, reason: "Forbidden (too many subscriptions)", now: now)
        }
        if case .buddyList(let owner) = resource {
            guard owner == identity.aor else {
                return respond(id, request, .forbidden, reason: "Forbidden (a buddy list is its owner's)", now: now)
            }
            // RFC 4662 section 5: a list is served only to a subscriber that supports it.
            guard request.headers.tokens(.supported).contains(where: { $0.lowercased() == "eventlist" }) else {
                return respond(
                    id, request, SIPStatus(421), reason: "Extension Required", headers: [(.require, "eventlist")],
                    now: now)
            }
        }
        // RFC 6665 section 4.2.1.1 (and RFC 4662 section 5 for lists): the watcher must accept what we send.
        let needed = resource.isList ? ["multipart/related", "application/rlmi+xml"] : [PIDFDocument.mediaType]
        let accepted = Set(request.headers.tokens(.accept).map { HeaderValueEssence.of($0) })
        if request.headers.contains(.accept), !needed.allSatisfy({ accepted.contains($0) || accepted.contains("*/*") })
        {
            let offered = needed + (resource.isList ? [PIDFDocument.mediaType] : [])
            return respond(
                id, request, SIPStatus(406), reason: "Not Acceptable",
                headers: [(.accept, offered.joined(separator: ", "))], now: now)
        }
        let requested: Int
        do { requested = try request.headers.expires.map(Int.init) ?? Self.presenceMaxExpires } catch {
            return respond(id, request, error.status, reason: error.reasonPhrase, now: now)
        }
        if requested > 0, requested < Self.presenceMinExpires {
            return rejectTooBrief(request, id, now: now)
        }
        guard let from = (try? request.headers.from) ?? nil, let to = (try? request.headers.to) ?? nil,
            let callID = (try? request.headers.callID) ?? nil,
            let contact = (try? request.headers.contact())??.addresses.first,
            let cseq = (try? request.headers.cseq) ?? nil,
            let listener = listener(for: source.transport, toward: .flow(source))
        else {
            return respond(id, request, .badRequest, reason: "Bad Request (SUBSCRIBE needs a Contact)", now: now)
        }
        let granted = min(requested, Self.presenceMaxExpires)
        let tag = randomToken()
        var local = to
        local.tag = Tag(tag)
        let localContact = ownContact(listener, transport: source.transport)
        var headers: [(HeaderName, String)] = [(.expires, String(granted)), (.contact, localContact)]
        if resource.isList { headers.append((.require, "eventlist")) }
        respond(id, request, .ok, headers: headers, toTag: Tag(tag), now: now)

        presenceSubscriptions[tag] = PresenceSubscription(
            resource: resource, subscriber: identity.aor, eventID: Self.eventID(request), callID: callID.value,
            local: local, remote: from, remoteTarget: contact.uri, routeSet: (try? request.headers.recordRoute) ?? [],
            source: source, localContact: localContact, remoteCSeq: cseq.sequence,
            expiresAt: wallClock().adding(seconds: Int64(granted)),
            // An initial SUBSCRIBE with Expires 0 fetches the state once (RFC 6665 section 4.4.3).
            terminationReason: granted == 0 ? "timeout" : nil)
        // RFC 6665 section 4.2.1.2: the first NOTIFY follows at once, with the full state.
        notify(tag, now: now)
    }

    func refreshSubscription(
        _ request: SIPRequest, _ id: ServerTransactionID, localTag: String, identity: PrivateIdentity,
        source: SIPSource, now: NIODeadline
    ) {
        // The dialog (Call-ID and both tags) and the Event id name the subscription (RFC 6665 section
        // 4.1.2.2); one that is ending or gone is 481.
        guard var subscription = presenceSubscriptions[localTag], subscription.terminationReason == nil,
            (try? request.headers.callID)??.value == subscription.callID,
            (try? request.headers.from)??.tag == subscription.remote.tag,
            Self.eventID(request) == subscription.eventID
        else {
            return respond(id, request, .callDoesNotExist, reason: "Call/Transaction Does Not Exist", now: now)
        }
        guard identity.aor == subscription.subscriber else {
            return respond(id, request, .forbidden, reason: "Forbidden (not your subscription)", now: now)
        }
        // RFC 3261 section 12.2.2: a CSeq not above the last one is out of order.
        guard let cseq = (try? request.headers.cseq) ?? nil, cseq.sequence > subscription.remoteCSeq else {
            return respond(
                id, request, .serverInternalError, reason: "Server Internal Error (CSeq out of order)", now: now)
        }
        let requested: Int
        do { requested = try request.headers.expires.map(Int.init) ?? Self.presenceMaxExpires } catch {
            return respond(id, request, error.status, reason: error.reasonPhrase, now: now)
        }
        if requested > 0, requested < Self.presenceMinExpires { return rejectTooBrief(request, id, now: now) }
        let granted = min(requested, Self.presenceMaxExpires)
        subscription.remoteCSeq = cseq.sequence
        subscription.expiresAt = wallClock().adding(seconds: Int64(granted))
        if granted == 0 { subscription.terminationReason = "timeout" }
        // A refresh is a target refresh (RFC 3261 section 12.2.2): a new Contact or connection is used.
        if let contact = (try? request.headers.contact())??.addresses.first { subscription.remoteTarget = contact.uri }
        subscription.source = source
        // Section 4.2.1.2: a refresh is answered with a NOTIFY of the full state.
        subscription.sent = [:]
        subscription.fullStatePending = true
        presenceSubscriptions[localTag] = subscription
        respond(
            id, request, .ok, headers: [(.expires, String(granted)), (.contact, subscription.localContact)],
            toTag: Tag(localTag), now: now)
        notify(localTag, now: now)
    }

    /// Parley's Contact as notifier: its listener's address, with the transport for other than UDP.
    func ownContact(_ listener: SIPListener, transport: SIPTransportKind) -> String {
        let parameters = transport == .udp ? [] : [GenericParameter(name: "transport", value: transport.uriParameter)]
        let uri = SIPURI(host: advertisedHost(listener), port: listener.address.port, parameters: parameters)
        return "<\(uri)>"
    }

    func rejectTooBrief(_ request: SIPRequest, _ id: ServerTransactionID, now: NIODeadline) {
        respond(
            id, request, SIPStatus(423), reason: "Interval Too Brief",
            headers: [(.minExpires, String(Self.presenceMinExpires))], now: now)
    }

    // MARK: NOTIFY

    /// Sends the subscription's next NOTIFY, unless one is out (then it follows that one's answer).
    func notify(_ key: String, now: NIODeadline) {
        guard var subscription = presenceSubscriptions[key] else { return }
        guard !subscription.notifyInFlight else {
            presenceSubscriptions[key]?.needsNotify = true
            return
        }
        let clock = wallClock()
        let contentType: String
        let body: String
        var extra: [(HeaderName, String)] = [
            (.event, subscription.eventID.map { "presence;id=\($0)" } ?? "presence"),
            (.contact, subscription.localContact),
        ]
        switch subscription.resource {
        case .user(let aor):
            let status = composedPresence[aor] ?? presence(of: aor)
            composedPresence[aor] = status
            if subscription.sent[aor] == status, subscription.terminationReason == nil { return }
            subscription.sent = [aor: status]
            contentType = PIDFDocument.mediaType
            body = PIDFDocument.make(entity: aor.description, status: status)
        case .buddyList(let owner):
            let members = buddies(of: owner)
            let fullState = subscription.fullStatePending
            var resources: [ResourceListBody.Resource] = []
            for aor in members.sorted() {
                let status = composedPresence[aor] ?? presence(of: aor)
                composedPresence[aor] = status
                if fullState || subscription.sent[aor] != status {
                    resources.append(
                        .init(uri: aor.description, name: chat?.directory.displayName(ofUser: aor.user), status: status)
                    )
                    subscription.sent[aor] = status
                }
            }
            if fullState { subscription.sent = subscription.sent.filter { members.contains($0.key) } }
            for gone in subscription.sent.keys.filter({ !members.contains($0) }).sorted() {
                if !fullState { resources.append(.init(uri: gone.description, status: nil)) }
                subscription.sent[gone] = nil
            }
            if resources.isEmpty, !fullState, subscription.terminationReason == nil { return }
            subscription.listVersion += 1
            subscription.fullStatePending = false
            let list = ResourceListBody.make(
                listURI: AOR(user: owner.user + Self.buddyListSuffix, domain: owner.domain).description,
                version: subscription.listVersion, fullState: fullState, resources: resources,
                boundary: "parley-" + randomToken())
            contentType = list.contentType
            body = list.body
            extra.append((.require, "eventlist"))
        }
        let remaining = max(0, clock.seconds(until: subscription.expiresAt))
        if let reason = subscription.terminationReason {
            extra.append((.subscriptionState, "terminated;reason=\(reason)"))
        } else {
            extra.append((.subscriptionState, "active;expires=\(remaining)"))
        }
        subscription.localCSeq += 1
        subscription.notifyInFlight = true
        subscription.needsNotify = false
        presenceSubscriptions[key] = subscription
        let target = notifyTarget(subscription)
        guard let target,
            let request = makeOwnRequest(
                .notify, to: target, from: subscription.local, toAddress: subscription.remote,
                callID: subscription.callID,
                cseq: subscription.localCSeq, headers: extra, contentType: contentType, body: body)
        else {
            presenceSubscriptions[key] = nil
            return
        }
        let terminating = subscription.terminationReason != nil
        sendOwnRequest(request, to: target.destination, now: now) { outcome in
            self.notifyAnswered(key, outcome: outcome, terminating: terminating)
        }
    }

    /// Where a subscription's NOTIFYs go: the route set's first hop, else back over the SUBSCRIBE's flow
    /// (a WebSocket watcher's Contact is not routable, RFC 7118 section 5).
    func notifyTarget(_ subscription: PresenceSubscription) -> ForwardTarget? {
        if let first = subscription.routeSet.first {
            guard let uri = first.uri.sipURI, let destination = destination(for: uri) else { return nil }
            return ForwardTarget(
                requestURI: subscription.remoteTarget, destination: destination, routePrefix: subscription.routeSet)
        }
        return ForwardTarget(requestURI: subscription.remoteTarget, destination: .flow(subscription.source))
    }

    /// A NOTIFY's answer: a failure ends the subscription (RFC 6665 section 4.2.2: 481, a timeout, a dead
    /// flow), alone: every subscription has its own transactions, so one dead watcher delays nobody.
    func notifyAnswered(_ key: String, outcome: OwnRequestOutcome, terminating: Bool) {
        guard var subscription = presenceSubscriptions[key] else { return }
        guard outcome.isSuccess, !terminating else {
            presenceSubscriptions[key] = nil
            return
        }
        subscription.notifyInFlight = false
        presenceSubscriptions[key] = subscription
        if subscription.needsNotify { notify(key, now: .now()) }
    }

    // MARK: Housekeeping

    /// Once a second: expired publications change presence; expired subscriptions get their last NOTIFY.
    func sweepPresence(now: NIODeadline) {
        let clock = wallClock()
        let changed = publications.expire(now: clock)
        if !changed.isEmpty { presenceChanged(changed, now: now) }
        if let chat, chat.directory.generation != checkedDirectoryGeneration {
            // Rooms or members changed (a /join, the web API, `parley room` in another process): buddy lists
            // are compared with what their watchers were told.
            checkedDirectoryGeneration = chat.directory.generation
            buddyListsChanged(now: now)
            // A removed user's watchers hear that the resource is gone (RFC 6665 section 4.2.2, "noresource").
            for (key, subscription) in presenceSubscriptions where subscription.terminationReason == nil {
                guard case .user(let aor) = subscription.resource, !directory.publicIdentityExists(aor) else {
                    continue
                }
                presenceSubscriptions[key]?.terminationReason = "noresource"
                notify(key, now: now)
            }
            composedPresence = composedPresence.filter { directory.publicIdentityExists($0.key) }
        }
        for (callID, call) in activeCalls where call.startedAt.seconds(until: clock) > Self.maxCallSeconds {
            callEnded(callID: callID)
        }
        for (key, subscription) in presenceSubscriptions
        where subscription.expiresAt <= clock && subscription.terminationReason == nil {
            presenceSubscriptions[key]?.terminationReason = "timeout"
            notify(key, now: now)
        }
    }

    /// Every buddy list is checked against its owner's rooms now (a NOTIFY goes only where something changed).
    func buddyListsChanged(now: NIODeadline) {
        for (key, subscription) in presenceSubscriptions {
            if case .buddyList = subscription.resource { notify(key, now: now) }
        }
    }

    /// Subscriptions whose flow closed end at once (DESIGN.md): nobody is left to notify.
    func dropSubscriptions(onFlow flow: FlowID) {
        for (key, subscription) in presenceSubscriptions
        where subscription.source.flow == flow && subscription.source.transport.isConnectionOriented {
            presenceSubscriptions[key] = nil
        }
    }

    // MARK: Calls

    /// A 2xx to an INVITE passing through: caller and callee are on the phone until the BYE.
    func callAnswered(_ response: SIPResponse) {
        guard let callID = (try? response.headers.callID)??.value, activeCalls[callID] == nil,
            let from = (try? response.headers.from) ?? nil, let to = (try? response.headers.to) ?? nil
        else { return }
        let parties = [AOR(uri: from.uri), AOR(uri: to.uri)].compactMap { $0 }
            .filter { $0.domain == configuration.domain.lowercased() && directory.publicIdentityExists($0) }
        guard !parties.isEmpty else { return }
        activeCalls[callID] = ActiveCall(parties: parties, startedAt: wallClock())
        for party in parties { callsInProgress[party, default: 0] += 1 }
        presenceChanged(parties, now: .now())
    }

    /// A BYE passing through ends its call.
    func callEnded(callID: String) {
        guard let parties = activeCalls.removeValue(forKey: callID)?.parties else { return }
        for party in parties {
            callsInProgress[party, default: 1] -= 1
            if callsInProgress[party] == 0 { callsInProgress[party] = nil }
        }
        presenceChanged(parties, now: .now())
    }
}
