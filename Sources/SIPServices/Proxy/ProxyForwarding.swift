import SIPCore

/// The request and response rewriting of a stateful proxy (RFC 3261 sections 16.6, 16.7 and 9.1).
public enum ProxyForwarding {
    /// Section 16.6 step 3: Max-Forwards for a request that arrived without one.
    public static let defaultMaxForwards = 70

    /// A copy of `request` for one target (section 16.6 steps 1 to 8): Request-URI, Max-Forwards minus one,
    /// our Record-Route entries on top (given top first), a pre-loaded Route from the binding's Path
    /// (RFC 3327 section 5.3), and our Via on top.
    public static func forward(
        _ request: SIPRequest, requestURI: URI?, via: Via, recordRoute: [NameAddress] = [],
        routePrefix: [NameAddress] = []
    ) throws(SIPParseError) -> SIPRequest {
        var copy = request
        if let requestURI { copy.uri = requestURI }
        let maxForwards = try request.headers.maxForwards ?? defaultMaxForwards + 1
        copy.headers.set(.maxForwards, "\(max(maxForwards - 1, 0))")
        for entry in recordRoute.reversed() {
            copy.headers.prepend(.recordRoute, entry.headerValue)
        }
        for entry in routePrefix.reversed() {
            copy.headers.prepend(.route, entry.headerValue)
        }
        copy.headers.prepend(.via, via.headerValue)
        return copy
    }

    /// The CANCEL for a request sent on a branch (section 9.1): same Request-URI, Call-ID, To, From and
    /// CSeq number, the branch's single top Via, and the same Route headers.
    public static func cancel(for request: SIPRequest) -> SIPRequest {
        var headers = SIPHeaders()
        if let topVia = try? request.headers.topVia { headers.append(.via, topVia.headerValue) }
        for field in request.headers where field.name == .route {
            headers.append(field)
        }
        for name in [HeaderName.from, .to, .callID] {
            if let field = request.headers.first(name) { headers.append(field) }
        }
        if let cseq = try? request.headers.cseq {
            headers.append(.cseq, CSeq(cseq.sequence, .cancel).headerValue)
        }
        headers.append(.maxForwards, "\(defaultMaxForwards)")
        return SIPRequest(method: .cancel, uri: request.uri, headers: headers)
    }

    /// Section 22.3: Proxy-Authorization for this proxy's realm is consumed here, never forwarded (it would
    /// hand the caller's digest to the callee); credentials for other realms pass on.
    public static func removeCredentials(forRealm realm: String, from request: inout SIPRequest) {
        guard request.headers.contains(.proxyAuthorization) else { return }
        let kept = request.headers.filter { field in
            guard field.name == .proxyAuthorization else { return true }
            let value = field.value.withUnsafeReadableBytes { try? AuthHeaderValue(parsingHeaderValue: $0) }
            return value?.value("realm") != realm
        }
        request.headers = SIPHeaders(kept)
    }

    /// Section 16.7 step 3: the response loses our Via. Nil when no Via remains (it was for us).
    public static func removeOwnVia(_ response: SIPResponse) -> SIPResponse? {
        var copy = response
        copy.headers.removeFirstValue(.via)
        return copy.headers.contains(.via) ? copy : nil
    }
}
