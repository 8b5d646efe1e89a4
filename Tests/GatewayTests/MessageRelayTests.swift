import Foundation
import SIPCore
import SIPTestKit
import Testing

/// MESSAGE (RFC 3428) relayed between WebSocket and UDP/TCP endpoints, forked to every device.
@Suite("MESSAGE relay", .serialized)
struct MessageRelayTests {
    /// Answers every MESSAGE with 200 and keeps it in the inbox for the test to read.
    static func answerMessages(_ agent: SIPTestAgent) {
        agent.onMessage { message, agent in
            if let request = message.request, request.method == .message { agent.reply(to: request, status: .ok) }
            return false
        }
    }

    /// A body Parley relays without storing it (RFC 3994 is-composing).
    static let isComposing = """
        <?xml version="1.0" encoding="UTF-8"?>
        <isComposing xmlns="urn:ietf:params:xml:ns:im-iscomposing"><state>active</state></isComposing>
        """

    @Test func udpDeviceReachesWebClientAndBack() async throws {
        let server = try await ParleyTestServer.start()
        defer { Task { await server.stop() } }
        let web = try await server.registered(.wss, user: "alice")
        let device = try await server.registered(.udp, user: "bob", account: "bob-desk")
        Self.answerMessages(web)
        Self.answerMessages(device)

        let toWeb = try await device.sendAuthenticated(
            .message, uri: "sip:alice@localhost", from: "sip:bob@localhost", to: "sip:alice@localhost",
            username: "bob-desk", password: "desk-secret", body: "hello web", contentType: "text/plain")
        #expect(toWeb.status == .ok)
        let atWeb = try await web.nextRequest(.message)
        #expect(String(buffer: atWeb.body) == "hello web")
        #expect(!atWeb.headers.contains(.proxyAuthorization), "RFC 3261 section 22.3: our realm's credentials stay here")
        #expect(try atWeb.headers.from?.uri.description == "sip:bob@localhost")

        // The web client authenticated its REGISTER on this WebSocket: its MESSAGE is not challenged again.
        let callID = web.uniqueToken()
        web.send(text: web.makeRequest(
            .message, uri: "sip:bob@localhost", from: "sip:alice@localhost", fromTag: web.uniqueToken(),
            to: "sip:bob@localhost", callID: callID, cseq: 1, body: "hello device", contentType: "text/plain"))
        let toDevice = try await web.finalResponse(callID: callID, cseq: 1)
        #expect(toDevice.status == .ok)
        let atDevice = try await device.nextRequest(.message)
        #expect(String(buffer: atDevice.body) == "hello device")
        await web.close()
        await device.close()
    }

    @Test func messageForksToEveryDeviceOfTheIdentity() async throws {
        let server = try await ParleyTestServer.start()
        defer { Task { await server.stop() } }
        let web = try await server.registered(.ws, user: "alice")
        let desk = try await server.registered(.udp, user: "bob", account: "bob-desk")
        let laptop = try await server.registered(.tcp, user: "bob", account: "bob-laptop")
        let bobWeb = try await server.registered(.wss, user: "bob")
        for agent in [desk, laptop, bobWeb] { Self.answerMessages(agent) }
        let callID = web.uniqueToken()
        web.send(text: web.makeRequest(
            .message, uri: "sip:bob@localhost", from: "sip:alice@localhost", fromTag: web.uniqueToken(),
            to: "sip:bob@localhost", callID: callID, cseq: 1, body: "to all of bob", contentType: "text/plain"))
        #expect(try await web.finalResponse(callID: callID, cseq: 1).status == .ok)
        for agent in [desk, laptop, bobWeb] {
            let delivered = try await agent.nextRequest(.message)
            #expect(String(buffer: delivered.body) == "to all of bob")
        }
        for agent in [web, desk, laptop, bobWeb] { await agent.close() }
    }

    @Test func ipv6DeviceRegistersAndReceives() async throws {
        let server = try await ParleyTestServer.start()
        defer { Task { await server.stop() } }
        let device = try await SIPTestAgent.udp(server: server.address(.udp, ipv6: true), group: ParleyTestServer.group, bindHost: "::1")
        let registered = try await device.register(aor: "sip:bob@localhost", username: "bob-desk", password: "desk-secret")
        #expect(registered.status == .ok)
        Self.answerMessages(device)
        let web = try await server.registered(.wss, user: "alice")
        let callID = web.uniqueToken()
        web.send(text: web.makeRequest(
            .message, uri: "sip:bob@localhost", from: "sip:alice@localhost", fromTag: web.uniqueToken(),
            to: "sip:bob@localhost", callID: callID, cseq: 1, body: "over IPv6", contentType: "text/plain"))
        #expect(try await web.finalResponse(callID: callID, cseq: 1).status == .ok)
        let delivered = try await device.nextRequest(.message)
        #expect(String(buffer: delivered.body) == "over IPv6")
        #expect(try delivered.headers.topVia?.host == .ipv6("::1"), "our Via names the IPv6 listener")
        await web.close()
        await device.close()
    }

    /// A text for a user nobody is registered for is stored for later (RFC 3428 section 7, 202; see
    /// ChatMessagingTests); other bodies are only relayed, so they get 480.
    @Test func unknownUserIs404AndAbsentUserIs480() async throws {
        let server = try await ParleyTestServer.start()
        defer { Task { await server.stop() } }
        let device = try await server.registered(.udp, user: "alice", account: "alice-phone")
        let unknown = try await device.sendAuthenticated(
            .message, uri: "sip:nobody@localhost", from: "sip:alice@localhost", to: "sip:nobody@localhost",
            username: "alice-phone", password: "phone-secret", body: "x", contentType: "text/plain")
        #expect(unknown.status == .notFound)
        let absent = try await device.sendAuthenticated(
            .message, uri: "sip:carol@localhost", from: "sip:alice@localhost", to: "sip:carol@localhost",
            username: "alice-phone", password: "phone-secret", body: Self.isComposing,
            contentType: "application/im-iscomposing+xml")
        #expect(absent.status == .temporarilyUnavailable)
        let stored = try await device.sendAuthenticated(
            .message, uri: "sip:carol@localhost", from: "sip:alice@localhost", to: "sip:carol@localhost",
            username: "alice-phone", password: "phone-secret", body: "x", contentType: "text/plain")
        #expect(stored.status.code == 202)
        await device.close()
    }

    @Test func aClosedWebSocketTakesItsBindingWithIt() async throws {
        let server = try await ParleyTestServer.start()
        defer { Task { await server.stop() } }
        let web = try await server.registered(.wss, user: "carol")
        let device = try await server.registered(.udp, user: "alice", account: "alice-phone")
        await web.close()
        try await Task.sleep(for: .milliseconds(200))
        let response = try await device.sendAuthenticated(
            .message, uri: "sip:carol@localhost", from: "sip:alice@localhost", to: "sip:carol@localhost",
            username: "alice-phone", password: "phone-secret", body: Self.isComposing,
            contentType: "application/im-iscomposing+xml")
        #expect(response.status == .temporarilyUnavailable)
        await device.close()
    }

    /// A contact that points back at Parley makes the request spiral, then loop: RFC 3261 section 16.3
    /// step 4 ends it with 482 instead of waiting for Max-Forwards.
    @Test func aLoopIsDetected() async throws {
        let server = try await ParleyTestServer.start()
        defer { Task { await server.stop() } }
        let udp = server.address(.udp)
        let device = try await server.agent(.udp)
        let callID = device.uniqueToken()
        device.send(text: device.makeRequest(
            .register, uri: "sip:localhost", from: "sip:carol@localhost", fromTag: "r", to: "sip:carol@localhost",
            callID: callID, cseq: 1, headers: [("Contact", "<sip:carol@localhost:\(udp.port)>")]))
        let challenge = try await device.finalResponse(callID: callID, cseq: 1)
        #expect(challenge.status == .unauthorized)
        let looping = try await server.agent(.udp)
        let registration = try await looping.sendAuthenticated(
            .register, uri: "sip:localhost", from: "sip:carol@localhost", to: "sip:carol@localhost", username: "carol-ws",
            password: "carol-ws-secret", headers: [("Contact", "<sip:carol@localhost:\(udp.port)>"), ("Expires", "300")])
        #expect(registration.status == .ok)
        let sender = try await server.registered(.wss, user: "alice")
        let messageID = sender.uniqueToken()
        sender.send(text: sender.makeRequest(
            .message, uri: "sip:carol@localhost", from: "sip:alice@localhost", fromTag: sender.uniqueToken(),
            to: "sip:carol@localhost", callID: messageID, cseq: 1, body: Self.isComposing,
            contentType: "application/im-iscomposing+xml"))
        let answer = try await sender.finalResponse(callID: messageID, cseq: 1)
        #expect(answer.status == .loopDetected)
        for agent in [device, looping, sender] { await agent.close() }
    }

    /// A To tag and a Route naming Parley do not make a request in-dialog: only a Route carrying a flow
    /// token Parley made for that Call-ID does, so nobody slips past authentication that way.
    @Test func aForgedDialogIsNotRelayed() async throws {
        let server = try await ParleyTestServer.start()
        defer { Task { await server.stop() } }
        let bob = try await server.registered(.udp, user: "bob", account: "bob-desk")
        Self.answerMessages(bob)
        let outsider = try await server.agent(.udp)
        let udp = server.address(.udp)
        for route in ["<sip:localhost;lr>", "<sip:1.udp.3132372e302e302e31.5060.0011223344556677aabb@127.0.0.1:\(udp.port);lr>"] {
            let callID = outsider.uniqueToken()
            outsider.send(text: outsider.makeRequest(
                .message, uri: "sip:bob@localhost", from: "sip:alice@localhost", fromTag: "f", to: "sip:bob@localhost",
                toTag: "forged", callID: callID, cseq: 1, headers: [("Route", route)], body: "spoofed",
                contentType: "text/plain"))
            let answer = try await outsider.finalResponse(callID: callID, cseq: 1)
            #expect(answer.status != .ok, "relayed with Route \(route)")
        }
        #expect(bob.pendingCount == 0, "bob received a forged request")
        await bob.close()
        await outsider.close()
    }

    @Test func senderMustBeItsOwnIdentity() async throws {
        let server = try await ParleyTestServer.start()
        defer { Task { await server.stop() } }
        let device = try await server.registered(.udp, user: "alice", account: "alice-phone")
        let spoofed = try await device.sendAuthenticated(
            .message, uri: "sip:bob@localhost", from: "sip:bob@localhost", to: "sip:bob@localhost",
            username: "alice-phone", password: "phone-secret", body: "I am bob", contentType: "text/plain")
        #expect(spoofed.status == .forbidden)
        await device.close()
    }
}
