import NIOCore
import SIPCore
import SIPServices
import SIPTransactions
import SIPTransport

/// The proxy's other half (RFC 3261 sections 16.7 to 16.11): responses through the response context,
/// CANCEL of branches, Timer C, failed flows, and the stateless forwarding of ACK for 2xx.
extension SIPServer {
    /// Greater than three minutes (section 16.6 step 11).
    static let timerC = TimeAmount.seconds(181)
    /// Section 9.1: a branch that does not answer its CANCEL within 64*T1 counts as cancelled.
    static let cancelGrace = TimeAmount.seconds(32)

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
            var upstream = ProxyForwarding.removeOwnVia(response)
        else { return }
        anchorResponse(&upstream, branch: branch, from: entry.destinations[branch])
        if (200..<300).contains(response.status.code), (try? response.headers.cseq)??.method == .invite {
            callAnswered(response)
        }
        let outcome = entry.context.receive(upstream, on: branch)
        // Section 16.7 step 2: a provisional other than 100 restarts Timer C.
        if entry.timerC != nil, (101..<200).contains(response.status.code) { entry.timerC = now + Self.timerC }
        proxied[owner] = entry
        apply(outcome, owner: owner, now: now)
    }

    /// A branch ended without a response. Transport failures are 430 Flow Failed when the branch went over a
    /// known flow (RFC 5626 section 5.3), 503 otherwise (section 16.9).
    func branchFailed(_ branch: ClientTransactionID, status: SIPStatus?, reason: String? = nil, now: NIODeadline) {
        releaseFailedBranchMedia(branch)
        guard let owner = branchOwner[branch], var entry = proxied[owner] else { return }
        let finalStatus: SIPStatus
        let finalReason: String
        if let status {
            finalStatus = status
            finalReason = reason ?? status.defaultReasonPhrase
        } else if case .flow? = entry.destinations[branch] {
            (finalStatus, finalReason) = (.flowFailed, "Flow Failed")
        } else {
            (finalStatus, finalReason) = (SIPStatus(503), "Service Unavailable (cannot reach the contact)")
        }
        let outcome = entry.context.fail(branch, status: finalStatus, reason: finalReason)
        proxied[owner] = entry
        apply(outcome, owner: owner, now: now)
    }

    func apply(_ outcome: ResponseContext<ClientTransactionID>.Outcome, owner: ServerTransactionID, now: NIODeadline) {
        switch outcome.upstream {
        case .forward(let response), .final(let response):
            relay(owner, response, now: now)
        case nil:
            break
        }
        sendCancels(outcome.cancels, owner: owner, now: now)
    }

    func sendCancels(
        _ cancels: [ResponseContext<ClientTransactionID>.BranchCancel], owner: ServerTransactionID, now: NIODeadline
    ) {
        guard !cancels.isEmpty, var entry = proxied[owner] else { return }
        if entry.cancelDeadline == nil { entry.cancelDeadline = now + Self.cancelGrace }
        proxied[owner] = entry
        for cancel in cancels {
            guard let destination = entry.destinations[cancel.branch] else { continue }
            let (id, events) = transactions.send(
                request: cancel.cancel, to: destination, reliable: destination.transport.isReliable, now: now)
            runClient(events, branch: id, now: now)
        }
    }

    /// Once a second: Timer C (section 16.8) and branches that ignored their CANCEL (section 9.1), so that
    /// every proxied INVITE ends with a final response and its state is freed.
    func sweepProxied(now: NIODeadline) {
        for (owner, entry) in proxied {
            if let deadline = entry.cancelDeadline, deadline <= now {
                var updated = entry
                updated.cancelDeadline = nil
                proxied[owner] = updated
                for branch in entry.context.pendingBranches {
                    branchFailed(branch, status: SIPStatus(487), reason: "Request Terminated", now: now)
                    run(transactions.transportFailed(branch, now: now), now: now)
                }
            } else if let deadline = entry.timerC, deadline <= now, !entry.context.finalSent {
                var updated = entry
                updated.timerC = nil
                let outcome = updated.context.timerCFired()
                proxied[owner] = updated
                apply(outcome, owner: owner, now: now)
            }
        }
    }

    /// The branches that went over a flow that just closed fail now rather than at Timer B or C.
    func failBranches(onFlow flow: FlowID, now: NIODeadline) {
        for entry in proxied.values {
            for (branch, destination) in entry.destinations {
                guard case .flow(let source) = destination, source.flow == flow, source.transport != .udp else {
                    continue
                }
                run(transactions.transportFailed(branch, now: now), now: now)
            }
        }
    }

    func serverTransactionEnded(_ id: ServerTransactionID) {
        guard let entry = proxied.removeValue(forKey: id) else { return }
        for branch in entry.destinations.keys { branchOwner[branch] = nil }
    }

    /// An ACK for a 2xx is its own transaction-less request (RFC 3261 section 17.1.1.3): forwarded along
    /// its Route like any in-dialog request, statelessly (section 16.11), after the checks of section 16.3.
    func forwardStatelessACK(_ incoming: SIPRequest, from source: SIPDestination, now: NIODeadline) {
        let maxForwards = ((try? incoming.headers.maxForwards) ?? nil) ?? ProxyForwarding.defaultMaxForwards
        guard maxForwards > 0, let callID = (try? incoming.headers.callID) ?? nil else { return }
        let hash = loopHash(incoming)
        guard !isLooping(incoming, loopHash: hash) else { return }
        var ack = incoming
        guard let flow = (try? popOwnRoutes(&ack, callID: callID)) ?? nil, let target = dialogTarget(ack, flow: flow),
            let listener = listener(for: target.destination.transport, toward: target.destination)
        else { return }
        // Only an ACK Parley's route set vouches for may carry a delayed-offer answer into the anchor.
        anchorACK(&ack, from: source)
        // Section 16.11: a stateless proxy's branch is the same for retransmissions of the same ACK.
        let incomingBranch = (try? incoming.headers.topVia)??.branch?.value ?? ""
        let branch = Branch.magicCookie + "a" + flowTokens.mac("ack|" + incomingBranch)
        let via = Via(
            transport: target.destination.transport.rawValue, host: advertisedHost(listener),
            port: listener.address.port, parameters: [GenericParameter(name: "branch", value: branch)])
        guard var forwarded = try? ProxyForwarding.forward(ack, requestURI: target.requestURI, via: via) else { return }
        ProxyForwarding.removeCredentials(forRealm: configuration.domain, from: &forwarded)
        send(.request(forwarded), to: target.destination, transaction: nil, now: now)
    }
}
