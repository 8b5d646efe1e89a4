import NIOConcurrencyHelpers
import NIOCore
import SIPCore
import SIPTestKit

/// The caller of one call: a SIP-over-WebSocket agent (RFC 7118) on Parley's WSS port, without an
/// Origin header (not a browser, so it authenticates with digest like any device, as the device account
/// `options.webAccount(call)`, e.g. wNNNN-ws), registered as wNNNN. It places one INVITE with a WebRTC
/// offer to dNNNN, ACKs the 2xx along the route set, and ends the call with BYE.
final class WebCaller: Sendable {
    /// The dialog once the INVITE got its 2xx (RFC 3261 section 12.1.2).
    struct Dialog: Sendable {
        var remoteTarget: String
        /// Record-Route of the 2xx, reversed, as Route values.
        var routes: [String]
        var toTag: String
        var inviteCSeq: UInt32
        var credentials: [(String, String)]
    }

    let agent: SIPTestAgent
    let aor: String
    let target: String
    let username: String
    let password: String
    let callID: String
    let fromTag: String
    private let dialog = NIOLockedValueBox<Dialog?>(nil)

    private init(agent: SIPTestAgent, aor: String, target: String, username: String, password: String) {
        self.agent = agent
        self.aor = aor
        self.target = target
        self.username = username
        self.password = password
        callID = agent.uniqueToken()
        fromTag = agent.uniqueToken()
    }

    /// Connects to Parley's WSS port and registers with digest.
    static func connect(call: Int, options: MediaLoadOptions, group: any EventLoopGroup) async throws -> WebCaller {
        let server = SIPPeerAddress(host: options.wss.host, port: options.wss.port)
        let agent = try await SIPTestAgent.webSocket(server: server, tls: true, group: group)
        let caller = WebCaller(
            agent: agent, aor: "sip:\(options.webUser(call))@\(options.domain)",
            target: "sip:\(options.deviceUser(call))@\(options.domain)", username: options.webAccount(call),
            password: options.password)
        agent.onMessage { message, agent in
            WebCaller.handle(message, agent: agent)
        }
        let response = try await agent.register(
            aor: caller.aor, username: caller.username, password: caller.password, expires: 3600,
            timeout: .seconds(10))
        guard response.status == .ok else {
            await agent.close()
            throw MediaLoadError("REGISTER \(caller.username) over WSS: \(response.status.code)")
        }
        return caller
    }

    /// Provisional responses are dropped and Parley's requests answered; final responses go on to the
    /// agent's inbox, where `finalResponse` finds them.
    private static func handle(_ message: SIPMessage, agent: SIPTestAgent) -> Bool {
        switch message {
        case .response(let response):
            return response.status.isProvisional
        case .request(let request):
            switch request.method {
            case .ack:
                return true
            case .bye, .options:
                agent.reply(to: request, status: .ok)
                return true
            default:
                return false
            }
        }
    }

    /// Sends the INVITE with `offer` and returns the 2xx after ACKing it. A 401/407 is ACKed in its own
    /// transaction (RFC 3261 section 17.1.1.3) and answered once with credentials (section 22.2).
    func invite(offer: String, timeout: Duration) async throws -> SIPResponse {
        var cseq: UInt32 = 1
        var credentials: [(String, String)] = []
        for attempt in 0..<2 {
            let branch = agent.newBranch()
            agent.send(
                text: request(
                    .invite, uri: target, branch: branch, toTag: nil, cseq: cseq,
                    headers: [("Contact", "<\(agent.contactURI)>")] + credentials, body: offer,
                    contentType: "application/sdp"))
            let response = try await agent.finalResponse(callID: callID, cseq: cseq, timeout: timeout)
            if response.status.isSuccess {
                try acknowledge(response, cseq: cseq, credentials: credentials)
                return response
            }
            agent.send(text: request(.ack, uri: target, branch: branch, toTag: Self.toTag(of: response), cseq: cseq))
            let code = response.status.code
            guard attempt == 0, code == 401 || code == 407 else {
                throw MediaLoadError("INVITE \(target) from \(username): \(code) \(response.reasonPhrase)")
            }
            let header = try authorization(for: response)
            credentials = [header]
            cseq += 1
        }
        throw MediaLoadError("INVITE \(target) from \(username): credentials refused")
    }

    /// ACK for the 2xx: a new transaction along the dialog's route set to the callee's Contact (RFC 3261
    /// sections 12.2.1.1 and 13.2.2.4), with the INVITE's credentials.
    private func acknowledge(_ response: SIPResponse, cseq: UInt32, credentials: [(String, String)]) throws {
        let routes = try response.headers.recordRoute.reversed().map { "<\($0.uri)>" }
        guard let remoteTarget = try response.headers.contact()?.addresses.first?.uri.description else {
            throw MediaLoadError("2xx to INVITE without Contact")
        }
        guard let toTag = Self.toTag(of: response) else { throw MediaLoadError("2xx to INVITE without To tag") }
        let dialog = Dialog(
            remoteTarget: remoteTarget, routes: routes, toTag: toTag, inviteCSeq: cseq, credentials: credentials)
        self.dialog.withLockedValue { $0 = dialog }
        agent.send(
            text: request(
                .ack, uri: remoteTarget, branch: agent.newBranch(), toTag: toTag, cseq: cseq,
                headers: routes.map { ("Route", $0) } + credentials))
    }

    /// Ends the call: BYE along the route set, and waits for its final response. True on 2xx.
    func hangUp(timeout: Duration) async -> Bool {
        guard let dialog = self.dialog.withLockedValue({ $0 }) else { return false }
        let cseq = dialog.inviteCSeq + 1
        agent.send(
            text: request(
                .bye, uri: dialog.remoteTarget, branch: agent.newBranch(), toTag: dialog.toTag, cseq: cseq,
                headers: dialog.routes.map { ("Route", $0) }))
        guard let response = try? await agent.finalResponse(callID: callID, cseq: cseq, timeout: timeout) else {
            return false
        }
        return response.status.isSuccess
    }

    func close() async {
        await agent.close()
    }

    // MARK: Requests

    /// A request of this call, with an explicit branch so that an ACK for a non-2xx can share the INVITE's.
    private func request(
        _ method: SIPMethod, uri: String, branch: String, toTag: String?, cseq: UInt32,
        headers extra: [(String, String)] = [], body: String = "", contentType: String? = nil
    ) -> String {
        var lines = [
            "\(method) \(uri) SIP/2.0",
            "Via: SIP/2.0/\(agent.transport.rawValue) \(agent.sentBy);branch=\(branch);rport",
            "Max-Forwards: 70",
            "From: <\(aor)>;tag=\(fromTag)",
            "To: <\(target)>" + (toTag.map { ";tag=\($0)" } ?? ""),
            "Call-ID: \(callID)",
            "CSeq: \(cseq) \(method)",
        ]
        for (name, value) in extra { lines.append("\(name): \(value)") }
        if let contentType { lines.append("Content-Type: \(contentType)") }
        lines.append("Content-Length: \(body.utf8.count)")
        return lines.joined(separator: "\r\n") + "\r\n\r\n" + body
    }

    /// Proxy-Authorization (or Authorization) for the first challenge we support (RFC 8760 section 2.4).
    private func authorization(for response: SIPResponse) throws -> (String, String) {
        let isProxy = response.status.code == 407
        let challengeHeader: HeaderName = isProxy ? .proxyAuthenticate : .wwwAuthenticate
        let challenges = response.headers.all(challengeHeader).compactMap { field -> DigestChallenge? in
            field.value.withUnsafeReadableBytes { bytes in
                (try? AuthHeaderValue(parsingHeaderValue: bytes)).flatMap { try? DigestChallenge($0) }
            }
        }
        let supported: [DigestAlgorithm] = [.sha256, .md5]
        guard let challenge = challenges.first(where: { supported.contains($0.algorithm) }) else {
            throw MediaLoadError("no supported digest challenge in \(response.status.code)")
        }
        let value = DigestAnswer.authorization(
            challenge: challenge, username: username, password: password, method: .invite, uri: target,
            cnonce: agent.uniqueToken())
        return (isProxy ? "Proxy-Authorization" : "Authorization", value)
    }

    private static func toTag(of response: SIPResponse) -> String? {
        do {
            return try response.headers.to?.tag?.value
        } catch {
            return nil
        }
    }
}
