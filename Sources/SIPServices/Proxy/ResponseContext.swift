import SIPCore

/// The response context of one proxied request (RFC 3261 section 16.7): its branches, the final
/// responses gathered so far, and what to send upstream. Generic over the branch identifier so that
/// the runtime can use its client transaction IDs.
public struct ResponseContext<BranchID: Hashable & Sendable> {
    public let isInvite: Bool
    private var branches: [BranchID: Branch] = [:]
    private var branchOrder: [BranchID] = []
    private var finals: [SIPResponse] = []
    /// A final response went upstream (a 2xx, or the best response once every branch completed).
    public private(set) var finalSent = false
    /// CANCEL was received upstream, or a 2xx/6xx ended the search (sections 16.7 step 10, 16.10).
    public private(set) var isCancelling = false

    struct Branch {
        var request: SIPRequest
        var receivedProvisional = false
        var cancelSent = false
        var completed = false
        /// Completed with a 2xx to an INVITE: its retransmissions still go up (RFC 6026 section 8.4).
        var accepted = false
    }

    public enum Upstream: Equatable, Sendable {
        /// Forward this provisional or 2xx response to the server transaction now.
        case forward(SIPResponse)
        /// Every branch completed without a 2xx: this is the best final response (section 16.7 step 6).
        case final(SIPResponse)
    }

    public struct Outcome: Equatable, Sendable {
        public var upstream: Upstream?
        /// Branches to CANCEL now, with the CANCEL request to send on each (section 9.1).
        public var cancels: [BranchCancel]
    }

    public struct BranchCancel: Equatable, Sendable {
        public var branch: BranchID
        public var cancel: SIPRequest
    }

    public init(isInvite: Bool) {
        self.isInvite = isInvite
    }

    public mutating func addBranch(_ id: BranchID, forwarded request: SIPRequest) {
        branches[id] = Branch(request: request)
        branchOrder.append(id)
    }

    public var branchCount: Int { branches.count }
    public var isComplete: Bool { branches.values.allSatisfy(\.completed) }
    /// Branches without a final response yet, in the order they were added.
    public var pendingBranches: [BranchID] { branchOrder.filter { branches[$0]?.completed == false } }

    /// A response arrived on a branch (section 16.7 steps 3 to 10).
    public mutating func receive(_ response: SIPResponse, on id: BranchID) -> Outcome {
        guard var branch = branches[id] else { return Outcome(upstream: nil, cancels: []) }
        guard !branch.completed else {
            // RFC 6026 section 8.4 / RFC 3261 section 16.7 step 5: a retransmitted 2xx to an INVITE is
            // forwarded too, in case the first one was lost upstream.
            let retransmitted2xx = branch.accepted && response.status.isSuccess
            return Outcome(upstream: retransmitted2xx ? .forward(response) : nil, cancels: [])
        }
        var cancels: [BranchCancel] = []
        let code = response.status.code
        if code < 200 {
            branch.receivedProvisional = true
            branches[id] = branch
            // Section 9.1: a CANCEL waits for a provisional response on its branch.
            if isCancelling, !branch.cancelSent, let cancel = cancelRequest(for: id) { cancels.append(cancel) }
            // Step 5: 100 Trying is hop-by-hop and never forwarded; other provisionals go up until a final.
            let upstream: Upstream? = (code == 100 || finalSent) ? nil : .forward(response)
            return Outcome(upstream: upstream, cancels: cancels)
        }
        branch.completed = true
        branch.accepted = isInvite && response.status.isSuccess
        branches[id] = branch
        if response.status.isSuccess {
            // Step 5: every 2xx to an INVITE is forwarded at once; step 10: the other branches are cancelled.
            let first = !finalSent
            finalSent = true
            if isInvite && first { cancels = startCancelling() }
            if !isInvite && !first { return Outcome(upstream: nil, cancels: cancels) }
            return Outcome(upstream: .forward(response), cancels: cancels)
        }
        finals.append(response)
        if code >= 600, isInvite, !finalSent {
            // Section 16.7 step 5: a 6xx means the search is over; cancel the pending branches.
            cancels = startCancelling()
        }
        return Outcome(upstream: finishIfComplete(), cancels: cancels)
    }

    /// A branch ended without a response: Timer B/F (408, section 16.7 step 2) or a transport failure
    /// (503 per section 16.9, or 430 when its flow is gone, RFC 5626 section 5.3).
    public mutating func fail(_ id: BranchID, status: SIPStatus, reason: String) -> Outcome {
        guard let branch = branches[id], !branch.completed else { return Outcome(upstream: nil, cancels: []) }
        // The branch's request carries our Via on top; the upstream response must not.
        var synthesized = SIPResponse(replyingTo: branch.request, status: status, reasonPhrase: reason)
        synthesized.headers.removeFirstValue(.via)
        return receive(synthesized, on: id)
    }

    /// Timer C fired (section 16.8): branches that sent a provisional are cancelled; the others count as
    /// if they had answered 408.
    public mutating func timerCFired() -> Outcome {
        var outcome = Outcome(upstream: nil, cancels: [])
        for id in branchOrder {
            guard let branch = branches[id], !branch.completed else { continue }
            if branch.receivedProvisional {
                if !branch.cancelSent, let cancel = cancelRequest(for: id) { outcome.cancels.append(cancel) }
            } else {
                let failed = fail(id, status: SIPStatus(408), reason: "Request Timeout (Timer C)")
                outcome.cancels += failed.cancels
                if failed.upstream != nil { outcome.upstream = failed.upstream }
            }
        }
        return outcome
    }

    /// The upstream CANCEL (section 16.10): cancel every pending branch.
    public mutating func cancel() -> [BranchCancel] {
        startCancelling()
    }

    private mutating func startCancelling() -> [BranchCancel] {
        isCancelling = true
        return branchOrder.compactMap { id in
            guard let branch = branches[id], !branch.completed, branch.receivedProvisional, !branch.cancelSent
            else { return nil }
            return cancelRequest(for: id)
        }
    }

    private mutating func cancelRequest(for id: BranchID) -> BranchCancel? {
        guard var branch = branches[id] else { return nil }
        branch.cancelSent = true
        branches[id] = branch
        return BranchCancel(branch: id, cancel: ProxyForwarding.cancel(for: branch.request))
    }

    private mutating func finishIfComplete() -> Upstream? {
        guard !finalSent, isComplete, let best = BestResponse.choose(finals) else { return nil }
        finalSent = true
        return .final(best)
    }
}
