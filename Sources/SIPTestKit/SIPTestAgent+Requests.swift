import NIOCore
import SIPCore

extension SIPTestAgent {
    /// The host:port this agent puts in Via and Contact: its socket address, or for WebSocket a
    /// `.invalid` name (RFC 7118 section 5.2: the client has no reachable address).
    public var sentBy: String {
        switch transport {
        case .ws, .wss: return "\(instanceToken).invalid"
        default: return localAddress.description
        }
    }

    public var contactURI: String {
        "sip:\(instanceToken)@\(sentBy);transport=\(transport.uriParameter)"
    }

    /// A request with this agent's Via (with rport), Max-Forwards, and the given headers.
    public func makeRequest(
        _ method: SIPMethod, uri: String, from: String, fromTag: String, to: String, toTag: String? = nil,
        callID: String, cseq: UInt32, headers extra: [(String, String)] = [], body: String = "",
        contentType: String? = nil
    ) -> String {
        var lines = [
            "\(method) \(uri) SIP/2.0",
            "Via: SIP/2.0/\(transport.rawValue) \(sentBy);branch=\(newBranch());rport",
            "Max-Forwards: 70",
            "From: <\(from)>;tag=\(fromTag)",
            "To: <\(to)>" + (toTag.map { ";tag=\($0)" } ?? ""),
            "Call-ID: \(callID)",
            "CSeq: \(cseq) \(method)",
        ]
        for (name, value) in extra { lines.append("\(name): \(value)") }
        if let contentType { lines.append("Content-Type: \(contentType)") }
        lines.append("Content-Length: \(body.utf8.count)")
        return lines.joined(separator: "\r\n") + "\r\n\r\n" + body
    }

    /// Sends a request and answers one digest challenge (401 or 407) with the credentials, returning
    /// the final response. `algorithms` lists what this agent supports, in the order it prefers.
    public func sendAuthenticated(
        _ method: SIPMethod, uri: String, from: String, to: String, username: String, password: String,
        headers extra: [(String, String)] = [], body: String = "", contentType: String? = nil,
        callID: String? = nil, algorithms: [DigestAlgorithm] = [.sha256, .md5], timeout: Duration = .seconds(5)
    ) async throws -> SIPResponse {
        let callID = callID ?? uniqueToken()
        let fromTag = uniqueToken()
        send(text: makeRequest(method, uri: uri, from: from, fromTag: fromTag, to: to, callID: callID, cseq: 1,
                               headers: extra, body: body, contentType: contentType))
        let first = try await finalResponse(callID: callID, cseq: 1, timeout: timeout)
        guard first.status.code == 401 || first.status.code == 407 else { return first }
        let challengeHeader: HeaderName = first.status.code == 401 ? .wwwAuthenticate : .proxyAuthenticate
        let answerHeader = first.status.code == 401 ? "Authorization" : "Proxy-Authorization"
        let challenges = first.headers.all(challengeHeader).compactMap { field -> DigestChallenge? in
            field.value.withUnsafeReadableBytes { bytes in
                (try? AuthHeaderValue(parsingHeaderValue: bytes)).flatMap { try? DigestChallenge($0) }
            }
        }
        // RFC 8760 section 2.4: the first challenge (in the server's order) whose algorithm we support.
        guard let challenge = challenges.first(where: { algorithms.contains($0.algorithm) }) else {
            throw SIPTestAgentError.unexpected("no supported digest challenge in \(first.status)")
        }
        let authorization = DigestAnswer.authorization(
            challenge: challenge, username: username, password: password, method: method, uri: uri, cnonce: uniqueToken())
        send(text: makeRequest(method, uri: uri, from: from, fromTag: fromTag, to: to, callID: callID, cseq: 2,
                               headers: extra + [(answerHeader, authorization)], body: body, contentType: contentType))
        return try await finalResponse(callID: callID, cseq: 2, timeout: timeout)
    }

    /// REGISTER for `aor` with digest, this agent's contact (with RFC 5626 instance and reg-id on
    /// WebSocket), and the given expiry.
    public func register(
        aor: String, username: String, password: String, expires: Int = 300, registrar: String? = nil,
        headers extra: [(String, String)] = [], algorithms: [DigestAlgorithm] = [.sha256, .md5],
        timeout: Duration = .seconds(5)
    ) async throws -> SIPResponse {
        var contact = "<\(contactURI)>"
        if transport == .ws || transport == .wss {
            let tail = String(instanceToken.suffix(12))
            let node = String(repeating: "0", count: 12 - tail.count) + tail
            contact += ";+sip.instance=\"<urn:uuid:00000000-0000-4000-8000-\(node)>\";reg-id=1"
        }
        let domain = aor.split(separator: "@").last.map(String.init) ?? "localhost"
        return try await sendAuthenticated(
            .register, uri: registrar ?? "sip:\(domain)", from: aor, to: aor, username: username, password: password,
            headers: [("Contact", contact), ("Expires", "\(expires)"), ("Supported", "outbound, path")] + extra,
            algorithms: algorithms, timeout: timeout)
    }

    /// Accepts an INVITE as a UAS (RFC 3261 section 12.1.1): 200 with this agent's Contact and the
    /// request's Record-Route copied in order.
    public func accept(_ invite: SIPRequest, toTag: String, body: String = "", contentType: String = "application/sdp") {
        var ok = SIPResponse(replyingTo: invite, status: .ok, toTag: Tag(toTag))
        ok.headers.append(.contact, "<sip:\(instanceToken)@\(sentBy)>")
        for field in invite.headers where field.name == .recordRoute { ok.headers.append(field) }
        if !body.isEmpty {
            ok.headers.append(.contentType, contentType)
            ok.body = ByteBuffer(string: body)
        }
        send(.response(ok))
    }

    /// Answers a request received from the server (2xx or otherwise), with a To tag.
    public func reply(to request: SIPRequest, status: SIPStatus, toTag: String? = nil, headers extra: [(String, String)] = [], body: String = "") {
        var response = SIPResponse(replyingTo: request, status: status, toTag: Tag(toTag ?? uniqueToken()))
        for (name, value) in extra { response.headers.append(HeaderName(name), value) }
        if !body.isEmpty { response.body = ByteBuffer(string: body) }
        // RFC 3261 section 18.2.2: over UDP the response goes to the top Via's address.
        var destination: SIPPeerAddress?
        if transport == .udp, let via = try? request.headers.topVia {
            destination = SIPPeerAddress(host: via.received ?? via.host.addressText, port: via.port ?? 5060)
        }
        send(bytes: SIPMessage.response(response).serialized, to: destination)
    }
}
