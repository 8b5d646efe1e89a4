import NIOCore
import SIPCore
import SIPServices
import SIPTransactions

/// New requests: validation (RFC 3261 section 16.3), then the registrar, Parley's own OPTIONS answer,
/// CANCEL, or the proxy.
extension SIPServer {
    /// Methods Parley takes part in, for Allow (RFC 3261 section 20.5).
    static let allowedMethods =
        "INVITE, ACK, CANCEL, BYE, OPTIONS, REGISTER, MESSAGE, INFO, UPDATE, PRACK, SUBSCRIBE, NOTIFY, REFER, PUBLISH"
    /// Extensions Parley supports (RFC 5626 outbound, RFC 3327 path).
    static let supportedExtensions: Set<String> = ["outbound", "path"]

    func handleRequest(_ request: SIPRequest, _ id: ServerTransactionID, source: SIPSource, now: NIODeadline) {
        // RFC 3261 section 16.3 step 3: Max-Forwards 0 ends the request here, but OPTIONS may be answered.
        let maxForwards: Int?
        do { maxForwards = try request.headers.maxForwards } catch {
            return respond(id, request, error.status, reason: error.reasonPhrase, now: now)
        }
        if failureLimiter.isBanned(source.remote.host, now: wallClock()) {
            return respond(id, request, .forbidden, reason: "Forbidden (too many failed attempts, try later)", now: now)
        }
        if request.method == .options, isForParley(request) {
            return answerOptions(request, id, now: now)
        }
        if maxForwards == 0 {
            return respond(id, request, .tooManyHops, now: now)
        }
        // RFC 3261 section 16.3 step 6: Proxy-Require extensions we do not know are refused with 420.
        let unsupported = request.headers.tokens(.proxyRequire).filter {
            !Self.supportedExtensions.contains($0.lowercased())
        }
        if !unsupported.isEmpty {
            return respond(
                id, request, .badExtension, headers: [(.unsupported, unsupported.joined(separator: ", "))], now: now)
        }
        switch request.method {
        case .register where isForParley(request) || request.uri.sipURI.map(local.isLocalDomain) == true:
            handleRegister(request, id, source: source, now: now)
        case .cancel:
            handleCancel(request, id, now: now)
        default:
            proxy(request, id, source: source, now: now)
        }
    }

    /// A request addressed to Parley itself: Request-URI without user part naming a local host or domain.
    func isForParley(_ request: SIPRequest) -> Bool {
        guard let uri = request.uri.sipURI, uri.user == nil || uri.user?.isEmpty == true else { return false }
        return local.isLocal(uri)
    }

    /// OPTIONS to the server (RFC 3261 section 11.2): 200 with what Parley allows and supports.
    func answerOptions(_ request: SIPRequest, _ id: ServerTransactionID, now: NIODeadline) {
        var response = SIPResponse(replyingTo: request, status: .ok, toTag: serverTag(for: request))
        response.headers.append(.server, configuration.product)
        response.headers.append(.allow, Self.allowedMethods)
        response.headers.append(.accept, "application/sdp, text/plain, message/cpim")
        response.headers.append(.supported, Self.supportedExtensions.sorted().joined(separator: ", "))
        respond(id, response, now: now)
    }

    /// CANCEL (RFC 3261 sections 9.2 and 16.10): 200 to the CANCEL itself, then the branches of the
    /// matching INVITE are cancelled; their 487s make the INVITE's final answer.
    func handleCancel(_ request: SIPRequest, _ id: ServerTransactionID, now: NIODeadline) {
        guard let invite = transactions.serverTransaction(matchingCancel: request) else {
            return respond(id, request, .callDoesNotExist, reason: "Call/Transaction Does Not Exist", now: now)
        }
        respond(id, request, .ok, now: now)
        guard var entry = proxied[invite] else { return }
        let cancels = entry.context.cancel()
        proxied[invite] = entry
        sendCancels(cancels, owner: invite, now: now)
        if cancels.isEmpty, entry.context.pendingBranches.isEmpty == false, entry.cancelDeadline == nil {
            // No branch has answered yet: their CANCELs wait for a provisional (section 9.1); the deadline
            // still bounds the wait.
            proxied[invite]?.cancelDeadline = now + Self.cancelGrace
        }
    }

    // MARK: Answering

    /// A response Parley makes itself (it carries Server, RFC 3261 section 20.35).
    /// `headers` are added after Server (Accept, Require, Min-Expires...); `toTag` replaces the stable tag
    /// of `serverTag(for:)` when the response creates a dialog of Parley's own (a subscription).
    func respond(
        _ id: ServerTransactionID, _ request: SIPRequest, _ status: SIPStatus, reason: String? = nil,
        headers extra: [(HeaderName, String)] = [], toTag: Tag? = nil, now: NIODeadline
    ) {
        let tag = status.code > 100 ? (toTag ?? serverTag(for: request)) : nil
        var response = SIPResponse(replyingTo: request, status: status, reasonPhrase: reason, toTag: tag)
        response.headers.append(.server, configuration.product)
        for (name, value) in extra { response.headers.append(name, value) }
        respond(id, response, now: now)
    }

    func respond(_ id: ServerTransactionID, _ response: SIPResponse, now: NIODeadline) {
        run(transactions.respond(response, to: id, now: now), now: now)
    }

    /// A response from downstream on its way up: unchanged but for our Via (section 16.7).
    func relay(_ id: ServerTransactionID, _ response: SIPResponse, now: NIODeadline) {
        run(transactions.respond(response, to: id, now: now), now: now)
    }

    /// A To tag for responses Parley generates itself, stable for one request (retransmissions of the same
    /// request get the same tag, RFC 3261 section 8.2.6.2).
    func serverTag(for request: SIPRequest) -> Tag {
        let branch = (try? request.headers.topVia)?.branch?.value ?? ""
        let callID = (try? request.headers.callID)?.value ?? ""
        var hasher = Hasher()
        hasher.combine(branch)
        hasher.combine(callID)
        return Tag("p" + String(UInt64(bitPattern: Int64(hasher.finalize())), radix: 36))
    }
}
