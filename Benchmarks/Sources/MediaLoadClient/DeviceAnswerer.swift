import MediaSession
import NIOConcurrencyHelpers
import NIOCore
import SDP
import SIPCore
import SIPTestKit

/// The callee's phone of one call: a UDP agent registered as dNNNN with the device account
/// dNNNN-phone, which answers Parley's INVITE at once with 200 and a plain RTP/AVP PCMU answer
/// (DeviceDescriptionBuilder.answer) pointing at the call's device socket, and takes ACK and BYE.
/// The answering runs in the agent's message handler, on the client's event loop.
final class DeviceAnswerer: Sendable {
    struct Answered: Sendable {
        /// Where Parley's device leg receives: the c=/m= of its INVITE.
        var parleyDevice: SocketAddress
        /// PCMU's payload type in Parley's offer.
        var payloadType: UInt8
        /// Sent again when Parley retransmits the INVITE (RFC 3261 section 13.3.1.4).
        var response: SIPResponse
        var callID: String
    }

    private struct State {
        var answered: Answered?
        var error: String?
    }

    let agent: SIPTestAgent
    let rtpPort: Int
    let mediaHost: String
    private let state = NIOLockedValueBox(State())

    private init(agent: SIPTestAgent, rtpPort: Int, mediaHost: String) {
        self.agent = agent
        self.rtpPort = rtpPort
        self.mediaHost = mediaHost
    }

    /// Registers the device (digest) and starts answering.
    static func start(
        call: Int, options: MediaLoadOptions, rtpPort: Int, group: any EventLoopGroup
    ) async throws -> DeviceAnswerer {
        let server = SIPPeerAddress(host: options.udp.host, port: options.udp.port)
        let agent = try await SIPTestAgent.udp(server: server, group: group, bindHost: options.mediaHost)
        let device = DeviceAnswerer(agent: agent, rtpPort: rtpPort, mediaHost: options.mediaHost)
        agent.onMessage { message, agent in
            device.handle(message, agent: agent)
        }
        let user = options.deviceUser(call)
        let response = try await agent.register(
            aor: "sip:\(user)@\(options.domain)", username: options.deviceAccount(call), password: options.password,
            expires: 3600, timeout: .seconds(10))
        guard response.status == .ok else {
            await agent.close()
            throw MediaLoadError("REGISTER \(options.deviceAccount(call)) over UDP: \(response.status.code)")
        }
        return device
    }

    /// What Parley's INVITE said, once it has come and been answered; waits up to `timeout`.
    func answered(timeout: Duration) async throws -> Answered {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        while true {
            let current = state.withLockedValue { $0 }
            if let answered = current.answered { return answered }
            if let error = current.error { throw MediaLoadError(error) }
            guard clock.now < deadline else { throw MediaLoadError("no INVITE reached device \(agent.localAddress)") }
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    func close() async {
        await agent.close()
    }

    // MARK: Messages from Parley

    /// Consumes requests; responses (to REGISTER) go on to the agent's inbox.
    private func handle(_ message: SIPMessage, agent: SIPTestAgent) -> Bool {
        guard case .request(let request) = message else { return false }
        switch request.method {
        case .invite:
            answer(request, agent: agent)
        case .ack:
            break
        case .bye, .options:
            agent.reply(to: request, status: .ok)
        default:
            return false
        }
        return true
    }

    private func answer(_ invite: SIPRequest, agent: SIPTestAgent) {
        let callID = Self.callID(of: invite.headers) ?? ""
        if let previous = state.withLockedValue({ $0.answered }) {
            if previous.callID == callID { agent.send(.response(previous.response)) }
            return  // a second call to this device is not part of the test
        }
        do {
            let offer = try SessionDescription.parse(String(buffer: invite.body))
            let remote = try DeviceMediaParameters(parsing: offer)
            guard remote.codecs.contains(where: { $0.kind == .pcmu }) else {
                throw MediaLoadError("Parley offered the device no PCMU")
            }
            let codec = NegotiatedCodec.pcmu.answering(remote.codecs)
            let local = LocalDeviceParameters(
                address: mediaHost, port: UInt16(clamping: rtpPort),
                sessionID: UInt64.random(in: 1...UInt64(Int64.max)),
                sessionVersion: 1)
            let sdp = DeviceDescriptionBuilder.answer(to: remote, local: local, codec: codec, telephoneEvent: nil)
            let parleyDevice = try SocketAddress(ipAddress: remote.address, port: Int(remote.port))

            // RFC 3261 section 12.1.1: the UAS copies Record-Route into its 2xx and gives its Contact.
            var ok = SIPResponse(replyingTo: invite, status: .ok, toTag: Tag(agent.uniqueToken()))
            ok.headers.append(.contact, "<sip:\(agent.instanceToken)@\(agent.sentBy)>")
            for field in invite.headers where field.name == .recordRoute { ok.headers.append(field) }
            ok.headers.append(.contentType, "application/sdp")
            ok.body = ByteBuffer(string: sdp.serialized())
            let answered = Answered(
                parleyDevice: parleyDevice, payloadType: codec.payloadType, response: ok, callID: callID)
            state.withLockedValue { $0.answered = answered }
            agent.send(.response(ok))
        } catch {
            state.withLockedValue { $0.error = "device \(agent.localAddress) cannot answer Parley's offer: \(error)" }
            let refusal = SIPResponse(
                replyingTo: invite, status: SIPStatus(488), reasonPhrase: "Not Acceptable Here",
                toTag: Tag(agent.uniqueToken()))
            agent.send(.response(refusal))
        }
    }

    static func callID(of headers: SIPHeaders) -> String? {
        do {
            return try headers.callID?.value
        } catch {
            return nil
        }
    }
}
