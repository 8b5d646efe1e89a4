import NIOCore
import SIPCore
import SIPServices
import SIPTransactions
import SIPTransport

/// Requests Parley sends as a user agent client of its own (RFC 3261 section 8.1): room messages fanned
/// out to members, stored private messages. Each gets a client transaction; its outcome goes to a
/// closure run on the event loop.
extension SIPServer {
    /// Builds a request for `target` (a binding, or a dialog's remote target): Request-URI the contact, Route
    /// its Path or route set, our Via; outside a dialog a new From tag and Call-ID (section 8.1.1), inside one
    /// the dialog's (section 12.2.1.1).
    func makeOwnRequest(
        _ method: SIPMethod, to target: ForwardTarget, from: NameAddress, toAddress: NameAddress,
        callID: String? = nil, cseq: UInt32 = 1, headers extra: [(HeaderName, String)] = [], contentType: String?,
        body: String
    ) -> SIPRequest? {
        guard let requestURI = target.requestURI,
            let listener = listener(for: target.destination.transport, toward: target.destination)
        else { return nil }
        var viaParameters = [GenericParameter(name: "branch", value: nextBranch().value)]
        if target.destination.transport == .udp { viaParameters.append(GenericParameter(name: "rport")) }
        let via = Via(
            transport: target.destination.transport.rawValue, host: advertisedHost(listener),
            port: listener.address.port, parameters: viaParameters)
        var fromWithTag = from
        if fromWithTag.tag == nil { fromWithTag.tag = Tag(randomToken()) }
        var headers = SIPHeaders()
        headers.append(.via, via.headerValue)
        for route in target.routePrefix { headers.append(.route, route.headerValue) }
        headers.append(.maxForwards, String(ProxyForwarding.defaultMaxForwards))
        headers.append(.from, fromWithTag.headerValue)
        headers.append(.to, toAddress.headerValue)
        headers.append(.callID, callID ?? randomToken() + "@" + configuration.domain)
        headers.append(.cseq, "\(cseq) \(method.rawValue)")
        headers.append(.userAgent, configuration.product)
        for (name, value) in extra { headers.append(name, value) }
        if let contentType { headers.append(.contentType, contentType) }
        return SIPRequest(method: method, uri: requestURI, headers: headers, body: ByteBuffer(string: body))
    }

    /// Sends `request` in a client transaction; `completion` gets its final outcome, once.
    func sendOwnRequest(
        _ request: SIPRequest, to destination: SIPDestination, now: NIODeadline,
        completion: @escaping (OwnRequestOutcome) -> Void
    ) {
        let (id, events) = transactions.send(
            request: request, to: destination, reliable: destination.transport.isReliable, now: now)
        ownRequests[id] = completion
        runClient(events, branch: id, now: now)
    }

    /// A response on one of our own client transactions: provisional ones are ignored (section 8.1.3.4
    /// without early dialogs), the final one completes it. True when the transaction was ours.
    func ownRequestResponse(_ response: SIPResponse, _ id: ClientTransactionID) -> Bool {
        guard let completion = ownRequests[id] else { return false }
        if response.status.code >= 200 {
            ownRequests[id] = nil
            completion(.response(response))
        }
        return true
    }

    /// One of our own client transactions ended without a final response (section 8.1.3.1: a timeout is
    /// a 408, a transport error a 503). True when the transaction was ours.
    func ownRequestFailed(_ id: ClientTransactionID, status: SIPStatus) -> Bool {
        guard let completion = ownRequests.removeValue(forKey: id) else { return false }
        completion(.noResponse(status))
        return true
    }

    /// 64 random bits in hex: tags and Call-IDs (section 19.3 asks for global uniqueness).
    func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        // One draw of 64 bits (a draw per byte would cost eight calls into the system's generator).
        return String(generator.next() as UInt64, radix: 16)
    }
}
