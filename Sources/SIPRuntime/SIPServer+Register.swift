import NIOCore
import SIPCore
import SIPServices
import SIPTransactions

/// REGISTER (RFC 3261 section 10.3): authenticate, authorize, then the registrar decides.
extension SIPServer {
    func handleRegister(_ request: SIPRequest, _ id: ServerTransactionID, source: SIPSource, now: NIODeadline) {
        // Section 10.3 step 2 / 8.2.2.3: Require options we do not support are refused with 420.
        let unsupported = request.headers.tokens(.require).filter {
            !Self.supportedExtensions.contains($0.lowercased())
        }
        if !unsupported.isEmpty {
            return respond(
                id, request, .badExtension, headers: [(.unsupported, unsupported.joined(separator: ", "))], now: now)
        }
        let to: NameAddress?
        do { to = try request.headers.to } catch {
            return respond(id, request, error.status, reason: error.reasonPhrase, now: now)
        }
        guard let to, let toURI = to.uri.sipURI, let aor = AOR(uri: to.uri) else {
            return respond(
                id, request, .badRequest, reason: "Bad Request (To must be a sip: address of record)", now: now)
        }
        guard local.isLocalDomain(toURI) else {
            return respond(id, request, .forbidden, reason: "Forbidden (not an address of this domain)", now: now)
        }
        // Section 10.3 step 3: authenticate before anything reveals whether the user exists.
        guard let identity = authenticate(request, id, source: source, challenge: .registrar, now: now) else { return }

        let outcome = registrar.register(request, aor: aor, identity: identity, source: source, now: wallClock())
        if case .ok(let result) = outcome {
            persist(result.changes)
            if source.transport.isConnectionOriented {
                authenticatedFlows[source.flow, default: [:]][aor] = identity
            }
            let reachable = result.changes.compactMap { change -> Binding? in
                switch change {
                case .added(let binding), .refreshed(let binding): return binding
                case .removed: return nil
                }
            }
            if !reachable.isEmpty { deliverQueued(to: reachable) }
            presenceChanged([aor], now: now)
        }
        var response = outcome.makeResponse(to: request, toTag: serverTag(for: request))
        response.headers.append(.server, configuration.product)
        respond(id, response, now: now)
    }

    func persist(_ changes: [BindingChange]) {
        guard let persistence else { return }
        var saved: [Binding] = []
        var removed: [Binding] = []
        for change in changes where change.binding.isPersistent {
            switch change {
            case .added(let binding), .refreshed(let binding): saved.append(binding)
            case .removed(let binding): removed.append(binding)
            }
        }
        if !saved.isEmpty { persistence.saved(saved) }
        if !removed.isEmpty { persistence.removed(removed) }
    }
}
