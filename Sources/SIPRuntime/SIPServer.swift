import Logging
import NIOCore
import SIPCore
import SIPServices
import SIPTransactions
import SIPTransport

/// Drives the SIP engines (transactions, registrar, authentication, proxy) on the transport hub's event
/// loop: it turns transport events into engine inputs and carries out what the engines return. All of
/// its state is touched on that one loop.
public final class SIPServer {
    let hub: SIPTransportHub
    var eventLoop: any EventLoop { hub.eventLoop }
    let configuration: SIPServerConfiguration
    let logger: Logger
    let directory: any CredentialDirectory
    let persistence: (any BindingPersistence)?
    let wallClock: @Sendable () -> UnixTime

    var transactions: TransactionLayer<SIPDestination>
    var registrar: Registrar
    var authenticator: DigestAuthenticator
    var failureLimiter: AuthFailureLimiter
    let flowTokens: FlowToken
    var local: LocalAddresses

    /// Proxied requests by their server transaction (RFC 3261 section 16.7 response contexts).
    var proxied: [ServerTransactionID: ProxiedRequest] = [:]
    /// Which proxied request each client transaction (branch) belongs to.
    var branchOwner: [ClientTransactionID: ServerTransactionID] = [:]
    /// Connection-oriented flows on which an identity authenticated a REGISTER: later requests on the
    /// same flow from that identity are not challenged again (the connection is the proof).
    var authenticatedFlows: [FlowID: [AOR: PrivateIdentity]] = [:]
    /// Bridges calls between browsers and devices; without one, SDP passes unchanged.
    public var mediaAnchor: (any MediaAnchor)?
    /// Anchored branches awaiting or carrying their answer.
    var mediaBranches: [ClientTransactionID: MediaBranch] = [:]
    /// Established anchored calls, for re-INVITE, UPDATE and BYE.
    var mediaDialogs: [MediaDialogKey: MediaAnchorKey] = [:]
    /// Chatrooms and stored private messages; without them MESSAGE is only proxied.
    public var chat: ChatServices?
    /// Requests Parley sent as its own UAC, by client transaction: what to do with their outcome.
    var ownRequests: [ClientTransactionID: (OwnRequestOutcome) -> Void] = [:]
    /// Private messages whose sender waits for the first device's answer (or the 202 deadline).
    var privateDeliveries: [ServerTransactionID: PrivateDelivery] = [:]
    /// Presence publications (RFC 3903), by AOR.
    var publications = PresencePublications()
    /// Presence subscriptions Parley serves, by the To tag it gave them.
    var presenceSubscriptions: [String: PresenceSubscription] = [:]
    /// Each user's presence as last composed, to notify watchers of changes only.
    var composedPresence: [AOR: PresenceStatus] = [:]
    /// Answered calls through Parley, by Call-ID: the local users in them ("on the phone").
    var activeCalls: [String: ActiveCall] = [:]
    /// How many of those calls each user is in.
    var callsInProgress: [AOR: Int] = [:]
    /// The chat directory's generation when buddy lists were last compared with it.
    var checkedDirectoryGeneration: Int64 = -1
    /// Stored messages on their way to a device, so that none goes twice to the same one at once.
    var deliveriesInFlight: Set<DeliveryKey> = []
    /// Set by `stop()`: late completions from the store do nothing more.
    var isStopped = false

    private var branchCounter: UInt64 = 0
    private let branchPrefix: String
    private var wakeup: Scheduled<Void>?
    private var wakeupDeadline: NIODeadline?
    private var housekeeping: RepeatedTask?

    public init(
        hub: SIPTransportHub, configuration: SIPServerConfiguration, directory: any CredentialDirectory,
        persistence: (any BindingPersistence)?, logger: Logger,
        wallClock: @escaping @Sendable () -> UnixTime
    ) {
        self.hub = hub
        self.configuration = configuration
        self.directory = directory
        self.persistence = persistence
        self.logger = logger
        self.wallClock = wallClock
        transactions = TransactionLayer()
        registrar = Registrar(settings: configuration.registrar)
        authenticator = DigestAuthenticator(
            realm: configuration.domain, secret: configuration.secret,
            nonceLifetimeSeconds: configuration.nonceLifetimeSeconds, algorithms: configuration.digestAlgorithms,
            checksDigestURI: configuration.checksDigestURI, random: SystemRandomNumberGenerator())
        failureLimiter = AuthFailureLimiter(settings: configuration.authFailureLimit)
        local = LocalAddresses(domain: configuration.domain, hosts: [], ports: [])
        flowTokens = FlowToken(secret: configuration.secret)
        // Derived from the secret, never a piece of it: the prefix is visible in every Via we send.
        branchPrefix = Branch.magicCookie + flowTokens.mac("branch-prefix").prefix(6) + "."
    }

    /// Starts handling the hub's events: call after the listeners are bound, on the loop.
    public func start(restoring bindings: [Binding]) {
        eventLoop.preconditionInEventLoop()
        refreshLocalAddresses()
        // What was expired or superseded while Parley was down, and outbound bindings whose flow is gone
        // (RFC 5626 section 5.3: they are reachable only over that flow), the store forgets.
        let reachable = bindings.filter { !$0.usesOutbound }
        let skipped = registrar.location.restore(reachable, now: wallClock())
        let dropped = skipped + bindings.filter(\.usesOutbound)
        if !dropped.isEmpty { persistence?.removed(dropped) }
        let loopBoundSelf = NIOLoopBound(self, eventLoop: eventLoop)
        hub.onEvent = { event in loopBoundSelf.value.handle(event) }
        housekeeping = eventLoop.scheduleRepeatedTask(initialDelay: .seconds(1), delay: .seconds(1)) { _ in
            loopBoundSelf.value.sweep()
        }
    }

    /// Learns the hub's listeners as Parley's own addresses (Route and Request-URI matching); call again when
    /// another server adds a listener to the hub (the HTTPS front's WSS).
    public func refreshLocalAddresses() {
        eventLoop.preconditionInEventLoop()
        var hosts: Set<String> = ["localhost", configuration.domain]
        var ports: Set<UInt16> = []
        for listener in hub.listeners {
            hosts.insert(listener.address.host)
            ports.insert(listener.address.port)
        }
        if hosts.contains("0.0.0.0") { hosts.formUnion(["127.0.0.1"]) }
        if hosts.contains("::") { hosts.formUnion(["::1"]) }
        local = LocalAddresses(domain: configuration.domain, hosts: hosts, ports: ports)
    }

    public func stop() {
        isStopped = true
        ownRequests = [:]
        privateDeliveries = [:]
        housekeeping?.cancel()
        wakeup?.cancel()
        hub.onEvent = { _ in }
    }

    // MARK: Events

    func handle(_ event: TransportEvent) {
        let now = NIODeadline.now()
        switch event {
        case .message(.request(var request), let source):
            let answerTo: SIPSource
            do {
                // Section 16.3 step 1 / 8.1.1: a request without To, From, Call-ID, CSeq or Via is answered
                // 400 before it makes a transaction.
                try SIPMessageValidator.requireMandatoryHeaders(request.headers)
                answerTo = try ReceivedStamp.apply(to: &request, source: source)
            } catch {
                return reject(request.headers, error: error, source: source)
            }
            run(
                transactions.receive(
                    request: request, from: .flow(answerTo), reliable: source.transport.isReliable, now: now), now: now)
        case .message(.response(let response), _):
            run(transactions.receive(response: response, now: now), now: now)
        case .rejected(let error, let head, let source):
            // RFC 3261 section 21.4.1 and friends: a malformed request is answered statelessly; a malformed
            // response is dropped (section 18.1.2).
            if let head, head.isRequest {
                reject(head.headers, error: error, source: source)
            } else {
                logger.debug(
                    "dropped malformed message", metadata: ["sip.peer": "\(source.remote)", "error": "\(error)"])
            }
        case .flowClosed(let flow):
            flowClosed(flow, now: now)
        }
        scheduleWakeup()
    }

    /// Carries out the transaction layer's events.
    func run(_ events: [TransactionEvent<SIPDestination>], now: NIODeadline) {
        for event in events {
            switch event {
            case .send(let message, let destination):
                send(message, to: destination, transaction: nil, now: now)
            case .request(let request, let id, let destination):
                guard case .flow(let source) = destination else { continue }
                handleRequest(request, id, source: source, now: now)
            case .strayACK(let ack, let source):
                forwardStatelessACK(ack, from: source, now: now)
            case .response(let response, let id):
                if !ownRequestResponse(response, id) { handleResponse(response, branch: id, now: now) }
            case .strayResponse:
                break
            case .clientTimeout(let id):
                if !ownRequestFailed(id, status: SIPStatus(408)) {
                    branchFailed(id, status: SIPStatus(408), reason: "Request Timeout", now: now)
                }
            case .clientTransportError(let id):
                if !ownRequestFailed(id, status: SIPStatus(503)) { branchFailed(id, status: nil, now: now) }
            case .serverTerminated(let id):
                serverTransactionEnded(id)
            case .serverTimeout, .serverTransportError:
                // The caller never acknowledged or cannot be reached; the transaction ends by itself.
                break
            case .clientTerminated(let id):
                _ = ownRequestFailed(id, status: SIPStatus(408))
                branchOwner[id] = nil
                // A branch that ends unanswered (a late 487 after its server transaction, no answer to
                // its CANCEL) frees its session here at the latest.
                releaseFailedBranchMedia(id)
                mediaBranches[id] = nil
            }
        }
    }

    func send(
        _ message: SIPMessage, to destination: SIPDestination, transaction: ClientTransactionID?, now: NIODeadline
    ) {
        let loopBoundSelf = NIOLoopBound(self, eventLoop: eventLoop)
        hub.send(message.serialized, to: destination) {
            guard let transaction else { return }
            // Reported on a later turn of the loop: a failure found while a request is being forked must
            // not complete its response context before every branch exists.
            loopBoundSelf.value.eventLoop.assumeIsolated().execute {
                let server = loopBoundSelf.value
                let now = NIODeadline.now()
                server.run(server.transactions.transportFailed(transaction, now: now), now: now)
                server.scheduleWakeup()
            }
        }
    }

    /// Answers a request statelessly (parse errors, RFC 3261 section 8.2).
    func reject(_ headers: SIPHeaders, error: SIPParseError, source: SIPSource) {
        // An ACK is never answered (RFC 3261 section 17.1.1.3); a request without Via cannot be.
        guard headers.contains(.via), (try? headers.cseq)??.method != .ack else { return }
        var response = SIPResponse(replyingTo: headers, status: error.status, reasonPhrase: error.reasonPhrase)
        response.headers.append(.server, configuration.product)
        hub.send(SIPMessage.response(response).serialized, to: .flow(source)) {}
    }

    // MARK: Time

    func scheduleWakeup() {
        guard let deadline = transactions.nextDeadline else { return }
        if let wakeupDeadline, wakeupDeadline <= deadline, wakeup != nil { return }
        wakeup?.cancel()
        wakeupDeadline = deadline
        let loopBoundSelf = NIOLoopBound(self, eventLoop: eventLoop)
        wakeup = eventLoop.scheduleTask(deadline: deadline) {
            let server = loopBoundSelf.value
            server.wakeup = nil
            server.wakeupDeadline = nil
            let now = NIODeadline.now()
            server.run(server.transactions.advance(to: now), now: now)
            server.scheduleWakeup()
        }
    }

    /// Once a second: expired bindings, the failure limiter's old entries.
    func sweep() {
        let now = wallClock()
        let expiredBindings = registrar.location.expire(now: now)
        let expired = expiredBindings.filter(\.isPersistent)
        if !expired.isEmpty { persistence?.removed(expired) }
        if !expiredBindings.isEmpty { presenceChanged(Set(expiredBindings.map(\.aor)), now: NIODeadline.now()) }
        sweepPresence(now: NIODeadline.now())
        failureLimiter.purge(now: now)
        sweepProxied(now: NIODeadline.now())
        sweepPrivateDeliveries(now: NIODeadline.now())
        scheduleWakeup()
    }

    func flowClosed(_ flow: FlowID, now: NIODeadline) {
        authenticatedFlows[flow] = nil
        dropSubscriptions(onFlow: flow)
        failBranches(onFlow: flow, now: now)
        // RFC 5626 section 4.4 / DESIGN: a dead flow's bindings go at once.
        let removed = registrar.location.removeBindings(onFlow: flow)
        if !removed.isEmpty {
            logger.debug(
                "flow closed, bindings removed", metadata: ["sip.flow": "\(flow)", "count": "\(removed.count)"])
            persistence?.removed(removed.filter(\.isPersistent))
            presenceChanged(Set(removed.map(\.aor)), now: now)
        }
    }

    /// A new branch for a request Parley sends (RFC 3261 section 8.1.1.7). For a forwarded request it
    /// carries the loop hash of the request as received (section 16.6 step 8), so that the request
    /// coming back unchanged is recognised as a loop (section 16.3 step 4).
    func nextBranch(loopHash: String = "x") -> Branch {
        branchCounter += 1
        let body = loopHash + "." + String(branchCounter, radix: 36)
        // The MAC makes our branches unguessable (a callee cannot answer for a sibling branch) and lets
        // isOwnBranch tell a spiral from a forgery.
        return Branch(branchPrefix + body + "." + flowTokens.mac(body).prefix(12))
    }

    func isOwnBranch(_ branch: String) -> Bool {
        guard branch.hasPrefix(branchPrefix) else { return false }
        let parts = branch.dropFirst(branchPrefix.count).split(separator: ".")
        guard parts.count == 3 else { return false }
        return flowTokens.mac(parts[0] + "." + parts[1]).prefix(12) == parts[2]
    }

    /// Section 16.3 step 4: one of our own Vias carries the loop hash this request has now.
    func isLooping(_ request: SIPRequest, loopHash: String) -> Bool {
        guard let vias = try? request.headers.via else { return false }
        let mark = branchPrefix + loopHash + "."
        return vias.contains { $0.branch?.value.hasPrefix(mark) == true }
    }

    /// FNV-1a over the fields RFC 3261 section 16.6 step 8 names: Request-URI as received, To and From
    /// tags, Call-ID, CSeq number, Proxy-Require and Proxy-Authorization. A spiral changes the Request-URI
    /// and so the hash; a loop does not.
    func loopHash(_ request: SIPRequest) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ text: String) {
            for byte in text.utf8 {
                hash ^= UInt64(byte)
                hash = hash &* 0x0000_0100_0000_01b3
            }
            hash ^= 0xff
        }
        mix(request.uri.description)
        mix((try? request.headers.to)??.tag?.value ?? "")
        mix((try? request.headers.from)??.tag?.value ?? "")
        mix((try? request.headers.callID)??.value ?? "")
        mix(String((try? request.headers.cseq)??.sequence ?? 0))
        for field in request.headers where field.name == .proxyRequire || field.name == .proxyAuthorization {
            mix(field.valueString)
        }
        return String(hash, radix: 36)
    }
}
