import NIOCore
import SIPCore
import SIPServices
import SIPTransactions
import SIPTransport

/// The stateful proxy (RFC 3261 section 16): route processing, authentication of local senders, the
/// target set, parallel forking. Responses, CANCEL and timers are in SIPServer+ProxyResponses.swift.
extension SIPServer {
    /// Methods that create dialogs, so Parley stays on their path (section 16.6 step 4).
    static let recordRouteMethods: Set<SIPMethod> = [.invite, .subscribe, .refer]

    func proxy(_ incoming: SIPRequest, _ id: ServerTransactionID, source: SIPSource, now: NIODeadline) {
        let hash = loopHash(incoming)
        if isLooping(incoming, loopHash: hash) {
            return respond(id, incoming, .loopDetected, reason: "Loop Detected", now: now)
        }
        var request = incoming
        let from: NameAddress
        let to: NameAddress
        let dialogFlow: SIPSource?
        do {
            guard let parsedFrom = try request.headers.from, let parsedTo = try request.headers.to,
                let callID = try request.headers.callID
            else {
                return respond(id, request, .badRequest, reason: "Bad Request (missing From, To or Call-ID)", now: now)
            }
            from = parsedFrom
            to = parsedTo
            dialogFlow = try popOwnRoutes(&request, callID: callID)
        } catch {
            return respond(id, request, error.status, reason: error.reasonPhrase, now: now)
        }

        // In a dialog Parley record-routed: the Route it put there carries a flow token made for this
        // Call-ID, which nobody else can make. Anything else is a new request and is checked as one.
        let targets: [ForwardTarget]
        if to.tag != nil, let dialogFlow {
            guard let target = dialogTarget(request, flow: dialogFlow) else {
                return respond(id, request, .forbidden, reason: "Forbidden (cannot reach the next Route)", now: now)
            }
            targets = [target]
        } else {
            if !isSpiral(incoming, from: source) {
                // DESIGN.md: a request claiming a local identity must authenticate as one of its private
                // identities; requests from other domains are only taken from trusted peers (none yet).
                guard let fromURI = from.uri.sipURI, local.isLocalDomain(fromURI), let fromAOR = AOR(uri: from.uri)
                else {
                    return respond(
                        id, request, .forbidden, reason: "Forbidden (only local users may send through Parley)",
                        now: now)
                }
                guard let identity = authenticate(request, id, source: source, challenge: .proxy, now: now) else {
                    return
                }
                guard RequestAuthorization.mayAssert(identity: identity, fromAOR: fromAOR) else {
                    return respond(id, request, .forbidden, reason: "Forbidden (From is not your identity)", now: now)
                }
                if [.invite, .message].contains(request.method), let callee = AOR(uri: request.uri),
                    isDoNotDisturb(callee)
                {
                    // RFC 3261 section 21.4.18: 480 is the answer of a callee who does not want to be disturbed.
                    return respond(
                        id, request, .temporarilyUnavailable,
                        reason: "Temporarily Unavailable (\(callee.user) does not want to be disturbed)", now: now)
                }
                if request.method == .message, takeChatMessage(request, id, sender: identity, source: source, now: now)
                {
                    return
                }
                if takePresenceRequest(request, id, identity: identity, to: to, source: source, now: now) { return }
            }
            switch locationTargets(request) {
            case .targets(let resolved): targets = resolved
            case .reject(let status, let reason): return respond(id, request, status, reason: reason, now: now)
            }
        }

        if request.method == .bye, let callID = (try? request.headers.callID)??.value { callEnded(callID: callID) }
        if request.method == .invite {
            // Section 16.2: a proxy answers INVITE with 100 Trying at once, stopping upstream retransmissions.
            respond(id, request, .trying, now: now)
        }
        var entry = ProxiedRequest(context: ResponseContext(isInvite: request.method == .invite))
        if request.method == .invite { entry.timerC = now + Self.timerC }
        if to.tag != nil { releaseDialogMedia(request) }
        var refusedMedia: String?
        for target in targets {
            guard var forwarded = forwardedRequest(request, to: target, source: source, loopHash: hash) else {
                continue
            }
            var media: MediaBranch?
            switch anchorOffer(&forwarded, source: source, destination: target.destination) {
            case .none: break
            case .anchored(let anchored): media = anchored
            case .rejected(let reason):
                refusedMedia = reason
                continue
            }
            let reliable = target.destination.transport.isReliable
            let (branch, events) = transactions.send(
                request: forwarded, to: target.destination, reliable: reliable, now: now)
            if let media { mediaBranches[branch] = media }
            entry.context.addBranch(branch, forwarded: forwarded)
            entry.destinations[branch] = target.destination
            branchOwner[branch] = id
            proxied[id] = entry
            runClient(events, branch: branch, now: now)
            entry = proxied[id] ?? entry
        }
        if entry.context.branchCount == 0 {
            proxied[id] = nil
            if let refusedMedia {
                // RFC 3261 section 21.4.26: the session description cannot be bridged.
                return respond(id, request, SIPStatus(488), reason: "Not Acceptable Here (\(refusedMedia))", now: now)
            }
            return respond(
                id, request, .temporarilyUnavailable, reason: "Temporarily Unavailable (no reachable contact)", now: now
            )
        }
    }

    /// A request Parley forwarded to itself (a contact pointing back here): it was checked when it first
    /// arrived. Recognised by a source address of ours and a top Via branch carrying our MAC.
    func isSpiral(_ request: SIPRequest, from source: SIPSource) -> Bool {
        guard local.hosts.contains(source.remote.host.lowercased()),
            let branch = (try? request.headers.topVia)??.branch?.value
        else { return false }
        return isOwnBranch(branch)
    }

    /// Section 16.4: Route entries naming Parley are removed. The flow token of the last one (RFC 5626
    /// section 5.3) names the flow the request leaves on; with a double Record-Route the first entry
    /// names the side the request came from.
    func popOwnRoutes(_ request: inout SIPRequest, callID: CallID) throws(SIPParseError) -> SIPSource? {
        var token: SIPSource?
        while let first = try request.headers.route.first, let uri = first.uri.sipURI, local.isLocal(uri) {
            request.headers.removeFirstValue(.route)
            token = uri.user.flatMap { flowTokens.decode($0, callID: callID) }
        }
        return token
    }

    enum TargetResolution {
        case targets([ForwardTarget])
        case reject(SIPStatus, String)
    }

    /// The next hop of an in-dialog request: a Route that remains (another proxy of the route set), or
    /// the flow named by Parley's token.
    func dialogTarget(_ request: SIPRequest, flow: SIPSource) -> ForwardTarget? {
        if let next = (try? request.headers.route)?.first {
            guard let uri = next.uri.sipURI, let destination = destination(for: uri) else { return nil }
            return ForwardTarget(requestURI: nil, destination: destination)
        }
        // A token made for a destination without a flow (a restored binding) names its address.
        let destination: SIPDestination = flow.flow == .restored ? .address(flow.transport, flow.remote) : .flow(flow)
        return ForwardTarget(requestURI: nil, destination: destination)
    }

    /// Section 16.5: the target set of a new request: a local AOR goes to its registered contacts;
    /// Parley does not relay elsewhere (no trusted peers or federation yet).
    func locationTargets(_ request: SIPRequest) -> TargetResolution {
        if (try? request.headers.route)?.isEmpty == false {
            return .reject(.forbidden, "Forbidden (Parley does not relay along a pre-loaded Route)")
        }
        guard let uri = request.uri.sipURI else {
            return .reject(.unsupportedURIScheme, "Unsupported URI Scheme")
        }
        guard local.isLocalDomain(uri) || (uri.user != nil && local.isLocal(uri)) else {
            return .reject(.forbidden, "Forbidden (Parley does not relay to other domains)")
        }
        guard let aor = AOR(uri: request.uri), directory.publicIdentityExists(aor) else {
            return .reject(.notFound, "Not Found")
        }
        let bindings = registrar.location.bindings(for: aor, now: wallClock())
        guard !bindings.isEmpty else {
            return .reject(.temporarilyUnavailable, "Temporarily Unavailable (nobody registered)")
        }
        return .targets(bindings.compactMap(target(for:)))
    }
}
