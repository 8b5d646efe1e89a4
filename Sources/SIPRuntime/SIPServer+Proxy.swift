import NIOCore
import SIPCore
import SIPServices
import SIPTransactions
import SIPTransport

/// The stateful proxy (RFC 3261 section 16): route processing, authentication of local senders, target
/// set from the location service, parallel forking, and the responses back.
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
        let flowToken: SIPSource?
        let poppedOwnRoute: Bool
        do {
            guard let parsedFrom = try request.headers.from, let parsedTo = try request.headers.to else {
                return respond(id, request, .badRequest, reason: "Bad Request (missing From or To)", now: now)
            }
            from = parsedFrom
            to = parsedTo
            (flowToken, poppedOwnRoute) = try popOwnRoutes(&request)
        } catch {
            return respond(id, request, error.status, reason: error.reasonPhrase, now: now)
        }

        let inDialog = to.tag != nil && poppedOwnRoute
        if !inDialog && !isSpiral(incoming, from: source) {
            // DESIGN.md: a request claiming a local identity must authenticate as one of its private
            // identities; requests from other domains are only taken from trusted peers (none yet).
            guard let fromURI = from.uri.sipURI, local.isLocalDomain(fromURI), let fromAOR = AOR(uri: from.uri) else {
                return respond(id, request, .forbidden, reason: "Forbidden (only local users may send through Parley)", now: now)
            }
            guard let identity = authenticate(request, id, source: source, challenge: .proxy, now: now) else { return }
            guard RequestAuthorization.mayAssert(identity: identity, fromAOR: fromAOR) else {
                return respond(id, request, .forbidden, reason: "Forbidden (From is not your identity)", now: now)
            }
        }

        let targets: [ForwardTarget]
        switch resolveTargets(request, flowToken: flowToken, inDialog: inDialog) {
        case .targets(let resolved): targets = resolved
        case .reject(let status, let reason): return respond(id, request, status, reason: reason, now: now)
        }

        if request.method == .invite {
            // Section 16.2: a proxy answers INVITE with 100 Trying at once, stopping upstream retransmissions.
            respond(id, request, .trying, now: now)
        }
        var entry = ProxiedRequest(request: request, source: source, context: ResponseContext(isInvite: request.method == .invite))
        if request.method == .invite { entry.timerC = now + Self.timerC }
        for target in targets {
            guard let forwarded = forwardedRequest(request, to: target, source: source, loopHash: hash) else { continue }
            let reliable = target.destination.transport.isReliable
            let (branch, events) = transactions.send(request: forwarded, to: target.destination, reliable: reliable, now: now)
            entry.context.addBranch(branch, forwarded: forwarded)
            entry.destinations[branch] = target.destination
            branchOwner[branch] = id
            proxied[id] = entry
            runClient(events, branch: branch, now: now)
            entry = proxied[id] ?? entry
        }
        if entry.context.branchCount == 0 {
            proxied[id] = nil
            return respond(id, request, .temporarilyUnavailable, reason: "Temporarily Unavailable (no reachable contact)", now: now)
        }
    }

    /// A request Parley forwarded to itself (a contact or route pointing back here): it was checked when it
    /// first arrived. Recognised by its source (one of our own sockets) and our branch on its top Via.
    func isSpiral(_ request: SIPRequest, from source: SIPSource) -> Bool {
        guard local.hosts.contains(source.remote.host.lowercased()), local.ports.contains(source.remote.port),
            let branch = (try? request.headers.topVia)??.branch?.value
        else { return false }
        return isOwnBranch(branch)
    }

    /// Section 16.4: Route entries naming Parley are removed; the last one's flow token (if any) says
    /// which flow the request must leave on (RFC 5626 section 5.3).
    func popOwnRoutes(_ request: inout SIPRequest) throws(SIPParseError) -> (SIPSource?, Bool) {
        var token: SIPSource?
        var popped = false
        while let first = try request.headers.route.first, let uri = first.uri.sipURI, local.isLocal(uri) {
            request.headers.removeFirstValue(.route)
            popped = true
            // Only the last entry counts: with a double Record-Route the first one names the side the
            // request came from.
            token = uri.user.flatMap(flowTokens.decode)
        }
        return (token, popped)
    }

    enum TargetResolution {
        case targets([ForwardTarget])
        case reject(SIPStatus, String)
    }

    /// Section 16.5: the target set. A remaining Route decides the next hop; otherwise a flow token; otherwise
    /// the Request-URI: a local AOR goes to its registered contacts, anything else to its own address.
    func resolveTargets(_ request: SIPRequest, flowToken: SIPSource?, inDialog: Bool) -> TargetResolution {
        if let next = (try? request.headers.route)?.first {
            guard let uri = next.uri.sipURI, let destination = destination(for: uri) else {
                return .reject(SIPStatus(404), "Not Found (cannot reach the next Route)")
            }
            return .targets([ForwardTarget(requestURI: nil, destination: destination)])
        }
        if let flowToken {
            return .targets([ForwardTarget(requestURI: nil, destination: .flow(flowToken))])
        }
        guard let uri = request.uri.sipURI else {
            return .reject(.unsupportedURIScheme, "Unsupported URI Scheme")
        }
        if local.isLocalDomain(uri) || (uri.user != nil && local.isLocal(uri)) {
            guard let aor = AOR(uri: request.uri), directory.publicIdentityExists(aor) else {
                return .reject(.notFound, "Not Found")
            }
            let bindings = registrar.location.bindings(for: aor, now: wallClock())
            guard !bindings.isEmpty else {
                return .reject(.temporarilyUnavailable, "Temporarily Unavailable (nobody registered)")
            }
            return .targets(bindings.compactMap(target(for:)))
        }
        guard inDialog, let destination = destination(for: uri) else {
            return .reject(.forbidden, "Forbidden (Parley does not relay to other domains)")
        }
        return .targets([ForwardTarget(requestURI: nil, destination: destination)])
    }

    func target(for binding: Binding) -> ForwardTarget? {
        let destination: SIPDestination
        if binding.source.flow == .restored {
            // Restored after a restart: the flow is gone; reach the contact by its address.
            guard let uri = binding.contact.uri.sipURI, let byAddress = self.destination(for: uri) else { return nil }
            destination = byAddress
        } else if binding.source.transport == .udp {
            destination = .address(.udp, udpTarget(for: binding))
        } else {
            destination = .flow(binding.source)
        }
        return ForwardTarget(requestURI: binding.contact.uri, destination: destination, routePrefix: binding.path)
    }


    /// Where a UDP binding is reached. RFC 3261 section 10 binds the Contact; behind a NAT the Contact
    /// holds a private address nobody can reach, so then (and for RFC 5626 outbound bindings) the
    /// address the REGISTER came from is used, as RFC 3581 does for responses.
    func udpTarget(for binding: Binding) -> SIPPeerAddress {
        guard !binding.usesOutbound, let uri = binding.contact.uri.sipURI,
            case .address(.udp, let contact)? = destination(for: uri)
        else { return binding.source.remote }
        if contact.host != binding.source.remote.host, PrivateAddress.isPrivate(contact.host) {
            return binding.source.remote
        }
        return contact
    }

    /// Where a SIP URI points (RFC 3263 without DNS: IP literals and localhost only).
    func destination(for uri: SIPURI) -> SIPDestination? {
        let transport = uri.transport.flatMap(SIPTransportKind.init(token:)) ?? (uri.isSecure ? .tls : .udp)
        let host: String
        switch uri.host {
        case .ipv4(let address), .ipv6(let address): host = address
        case .hostname(let name) where name.lowercased() == "localhost": host = "127.0.0.1"
        case .hostname: return nil
        }
        let port = uri.port ?? (transport == .tls || transport == .wss ? 5061 : 5060)
        return .address(transport, SIPPeerAddress(host: host, port: port))
    }

    /// Section 16.6: the copy of the request for one target, with our Via and Record-Route.
    func forwardedRequest(_ request: SIPRequest, to target: ForwardTarget, source: SIPSource, loopHash: String) -> SIPRequest? {
        let outTransport = target.destination.transport
        guard let outListener = listener(for: outTransport, toward: target.destination) else { return nil }
        var recordRoute: [NameAddress] = []
        if Self.recordRouteMethods.contains(request.method),
            let inListener = listener(for: source.transport, toward: .flow(source))
        {
            if source.transport == .udp && outTransport == .udp {
                recordRoute = [routeEntry(inListener, transport: .udp, token: nil)]
            } else {
                // RFC 5658 double Record-Route: one entry per side, each carrying that side's flow token;
                // the one facing the target goes on top.
                var outToken: String?
                switch target.destination {
                case .flow(let outSource):
                    outToken = flowTokens.encode(outSource)
                case .address(.udp, let address):
                    outToken = flowTokens.encode(SIPSource(transport: .udp, remote: address, flow: outListener.flow))
                case .address:
                    outToken = nil
                }
                recordRoute = [
                    routeEntry(outListener, transport: outTransport, token: outToken),
                    routeEntry(inListener, transport: source.transport, token: flowTokens.encode(source)),
                ]
            }
        }
        var viaParameters = [GenericParameter(name: "branch", value: nextBranch(loopHash: loopHash).value)]
        if outTransport == .udp { viaParameters.append(GenericParameter(name: "rport")) }
        let via = Via(
            transport: outTransport.rawValue, host: advertisedHost(outListener), port: outListener.address.port,
            parameters: viaParameters)
        return try? ProxyForwarding.forward(
            request, requestURI: target.requestURI, via: via, recordRoute: recordRoute, routePrefix: target.routePrefix)
    }

    func listener(for transport: SIPTransportKind) -> SIPListener? {
        hub.listener(for: transport)
    }

    /// The listener of the destination's transport and address family (an IPv6 peer sees our IPv6 address).
    func listener(for transport: SIPTransportKind, toward destination: SIPDestination) -> SIPListener? {
        let ipv6: Bool
        switch destination {
        case .flow(let source): ipv6 = source.remote.isIPv6
        case .address(_, let address): ipv6 = address.isIPv6
        }
        return hub.listener(for: transport, ipv6: ipv6)
    }

    /// The host to put in our Via and Record-Route: the listener's address, or the domain when bound to
    /// every interface.
    func advertisedHost(_ listener: SIPListener) -> SIPHost {
        let host = listener.address.host
        if host == "0.0.0.0" || host == "::" { return .hostname(configuration.domain) }
        return listener.address.isIPv6 ? .ipv6(host) : .ipv4(host)
    }

    func routeEntry(_ listener: SIPListener, transport: SIPTransportKind, token: String?) -> NameAddress {
        var parameters = [GenericParameter(name: "lr")]
        if transport != .udp { parameters.insert(GenericParameter(name: "transport", value: transport.uriParameter), at: 0) }
        let uri = SIPURI(user: token, host: advertisedHost(listener), port: listener.address.port, parameters: parameters)
        return NameAddress(uri: .sip(uri))
    }

    // MARK: Responses

    func runClient(_ events: [TransactionEvent<SIPDestination>], branch: ClientTransactionID, now: NIODeadline) {
        for event in events {
            if case .send(let message, let destination) = event {
                send(message, to: destination, transaction: branch, now: now)
            } else {
                run([event], now: now)
            }
        }
    }

    /// Section 16.7: a response on a branch, through the response context, then upstream.
    func handleResponse(_ response: SIPResponse, branch: ClientTransactionID, now: NIODeadline) {
        guard let owner = branchOwner[branch], var entry = proxied[owner],
            let upstream = ProxyForwarding.removeOwnVia(response)
        else { return }
        let outcome = entry.context.receive(upstream, on: branch)
        if entry.timerC != nil, response.status.isProvisional { entry.timerC = now + Self.timerC }
        proxied[owner] = entry
        apply(outcome, owner: owner, now: now)
    }

    func branchFailed(_ branch: ClientTransactionID, status: SIPStatus, reason: String, now: NIODeadline) {
        guard let owner = branchOwner[branch], var entry = proxied[owner] else { return }
        let outcome = entry.context.fail(branch, status: status, reason: reason)
        proxied[owner] = entry
        apply(outcome, owner: owner, now: now)
    }

    func apply(_ outcome: ResponseContext<ClientTransactionID>.Outcome, owner: ServerTransactionID, now: NIODeadline) {
        switch outcome.upstream {
        case .forward(let response), .final(let response):
            respond(owner, response, now: now)
        case nil:
            break
        }
        sendCancels(outcome.cancels, owner: owner, now: now)
    }

    func sendCancels(_ cancels: [ResponseContext<ClientTransactionID>.BranchCancel], owner: ServerTransactionID? = nil, now: NIODeadline) {
        for cancel in cancels {
            guard let owner = owner ?? branchOwner[cancel.branch], let destination = proxied[owner]?.destinations[cancel.branch]
            else { continue }
            let (id, events) = transactions.send(
                request: cancel.cancel, to: destination, reliable: destination.transport.isReliable, now: now)
            runClient(events, branch: id, now: now)
        }
    }

    /// Greater than three minutes (section 16.6 step 11).
    static let timerC = TimeAmount.seconds(181)

    /// Fires Timer C for proxied INVITEs still searching (called from the once-a-second sweep).
    func fireTimerC(now: NIODeadline) {
        for (owner, entry) in proxied {
            guard let deadline = entry.timerC, deadline <= now, !entry.context.finalSent else { continue }
            var updated = entry
            updated.timerC = nil
            let outcome = updated.context.timerCFired()
            proxied[owner] = updated
            apply(outcome, owner: owner, now: now)
        }
    }

    func serverTransactionEnded(_ id: ServerTransactionID) {
        guard let entry = proxied.removeValue(forKey: id) else { return }
        for branch in entry.destinations.keys { branchOwner[branch] = nil }
    }

    /// An ACK for a 2xx is its own transaction-less request (RFC 3261 section 17.1.1.3): forwarded along its
    /// Route like any in-dialog request, statelessly (section 16.11).
    func forwardStatelessACK(_ incoming: SIPRequest, now: NIODeadline) {
        var ack = incoming
        guard let (token, popped) = try? popOwnRoutes(&ack), popped || token != nil else { return }
        guard case .targets(let targets) = resolveTargets(ack, flowToken: token, inDialog: true), let target = targets.first,
            let listener = listener(for: target.destination.transport, toward: target.destination)
        else { return }
        // Section 16.11: a stateless proxy's branch must be the same for retransmissions of the same ACK.
        let incomingBranch = (try? incoming.headers.topVia)?.branch?.value ?? ""
        let via = Via(
            transport: target.destination.transport.rawValue, host: advertisedHost(listener), port: listener.address.port,
            parameters: [GenericParameter(name: "branch", value: Branch.magicCookie + "a" + FlowToken.hex(Array(incomingBranch.utf8.suffix(20))))])
        guard let forwarded = try? ProxyForwarding.forward(ack, requestURI: target.requestURI, via: via) else { return }
        send(.request(forwarded), to: target.destination, transaction: nil, now: now)
    }
}
