import NIOCore
import SIPCore
import SIPServices
import SIPTransactions

/// Digest authentication of requests (RFC 3261 section 22): 401 from the registrar, 407 from the proxy,
/// SHA-256 and MD5 offered together (RFC 8760), failures counted per source address.
extension SIPServer {
    enum ChallengeKind {
        /// 401 with WWW-Authenticate, answered in Authorization (section 22.2).
        case registrar
        /// 407 with Proxy-Authenticate, answered in Proxy-Authorization (section 22.3).
        case proxy
    }

    /// The private identity the request proves, or nil after answering it (challenge, 400 or 403).
    func authenticate(
        _ request: SIPRequest, _ id: ServerTransactionID, source: SIPSource, challenge kind: ChallengeKind,
        now: NIODeadline
    ) -> PrivateIdentity? {
        // A connection that carried an authenticated REGISTER vouches for the same identity's later
        // requests (RFC 5626 flows; a UDP source address proves nothing and is always challenged).
        if kind == .proxy, source.transport.isConnectionOriented,
            let from = try? request.headers.from, let aor = AOR(uri: from.uri),
            let identity = authenticatedFlows[source.flow]?[aor]
        {
            // Still the same account (not removed, password unchanged since it authenticated)?
            if directory.privateIdentity(authUsername: identity.authUsername, arrivingOn: source.flow) == identity {
                return identity
            }
            authenticatedFlows[source.flow]?[aor] = nil
        }
        let wallNow = wallClock()
        let offered = kind == .registrar ? try? request.headers.authorization : try? request.headers.proxyAuthorization
        let ours = offered?.first { $0.isDigest && $0.value("realm") == configuration.domain }
        guard let ours else {
            challenge(request, id, kind: kind, stale: false, now: now)
            return nil
        }
        let credentials: DigestCredentials
        do {
            credentials = try DigestCredentials(ours)
        } catch {
            respond(id, request, .badRequest, reason: "Bad Request (malformed credentials: \(error.detail))", now: now)
            return nil
        }
        let identity = directory.privateIdentity(authUsername: credentials.username, arrivingOn: source.flow)
        let verdict = authenticator.verify(
            credentials, method: request.method, requestURI: request.uri.description, identity: identity, now: wallNow)
        switch verdict {
        case .authenticated(let identity):
            // A success does not clear the source's failures: one valid account must not buy unlimited
            // guesses at another one from the same address.
            return identity
        case .stale:
            challenge(request, id, kind: kind, stale: true, now: now)
        case .rejected(let reason):
            // One log line without secrets; the answer is the same whatever the reason (no user probing).
            logger.info(
                "authentication failed",
                metadata: [
                    "sip.peer": "\(source.remote)", "sip.user": "\(credentials.username)", "reason": "\(reason)",
                ])
            let banned = failureLimiter.recordFailure(source.remote.host, now: wallNow)
            if banned {
                respond(id, request, .forbidden, reason: "Forbidden (too many failed attempts, try later)", now: now)
            } else {
                challenge(request, id, kind: kind, stale: false, now: now)
            }
        }
        return nil
    }

    func challenge(_ request: SIPRequest, _ id: ServerTransactionID, kind: ChallengeKind, stale: Bool, now: NIODeadline)
    {
        let status: SIPStatus = kind == .registrar ? .unauthorized : .proxyAuthenticationRequired
        let header: HeaderName = kind == .registrar ? .wwwAuthenticate : .proxyAuthenticate
        var response = SIPResponse(replyingTo: request, status: status, toTag: serverTag(for: request))
        response.headers.append(.server, configuration.product)
        var challenges = authenticator.challenges(now: wallClock(), stale: stale)
        if let agent = request.headers.first(.userAgent)?.valueString,
            configuration.md5OnlyUserAgents.contains(where: { agent.hasPrefix($0) }),
            challenges.contains(where: { $0.algorithm == .md5 })
        {
            challenges.removeAll { $0.algorithm != .md5 }
        }
        for challenge in challenges {
            response.headers.append(header, challenge.headerValue.headerValue)
        }
        respond(id, response, now: now)
    }
}
