import Foundation
import SIPCore
import SIPTestKit
import Storage
import Testing

/// REGISTER over every transport, with digest, as RFC 3261 section 10 and RFC 7118 describe.
@Suite("Registration", .serialized)
struct RegistrationTests {
    @Test(arguments: [SIPTransportKind.udp, .tcp, .tls, .ws, .wss])
    func deviceRegistersWithDigest(transport: SIPTransportKind) async throws {
        let server = try await ParleyTestServer.start()
        defer { Task { await server.stop() } }
        let agent = try await server.agent(transport)
        let response = try await agent.register(aor: "sip:bob@localhost", username: "bob-desk", password: "desk-secret")
        #expect(response.status == .ok)
        // RFC 3261 section 10.3 step 8: the 200 lists the binding with its expiry.
        let contacts = try #require(try response.headers.contact())
        #expect(contacts.addresses.count == 1)
        #expect(contacts.addresses.first?.parameters.first(named: "expires")?.value == "300")
        await agent.close()
    }

    @Test(arguments: [DigestAlgorithm.md5, .sha256])
    func eitherOfferedAlgorithmAuthenticates(algorithm: DigestAlgorithm) async throws {
        let server = try await ParleyTestServer.start()
        defer { Task { await server.stop() } }
        let agent = try await server.agent(.udp)
        let response = try await agent.register(
            aor: "sip:alice@localhost", username: "alice-phone", password: "phone-secret", algorithms: [algorithm])
        #expect(response.status == .ok)
        await agent.close()
    }

    @Test func unknownUserAndWrongPasswordGetTheSameAnswer() async throws {
        let server = try await ParleyTestServer.start()
        defer { Task { await server.stop() } }
        let agent = try await server.agent(.udp)
        let wrongPassword = try await agent.register(aor: "sip:bob@localhost", username: "bob-desk", password: "nope")
        let unknownUser = try await agent.register(aor: "sip:mallory@localhost", username: "mallory", password: "nope")
        #expect(wrongPassword.status == .unauthorized)
        #expect(unknownUser.status == .unauthorized)
        #expect(wrongPassword.reasonPhrase == unknownUser.reasonPhrase)
        #expect(wrongPassword.headers.map(\.name) == unknownUser.headers.map(\.name))
        await agent.close()
    }

    @Test func aDeviceMayOnlyRegisterItsOwnIdentity() async throws {
        let server = try await ParleyTestServer.start()
        defer { Task { await server.stop() } }
        let agent = try await server.agent(.udp)
        let response = try await agent.register(aor: "sip:alice@localhost", username: "bob-desk", password: "desk-secret")
        #expect(response.status == .forbidden)
        await agent.close()
    }

    @Test func tooBriefExpiryGets423WithMinExpires() async throws {
        let server = try await ParleyTestServer.start()
        defer { Task { await server.stop() } }
        let agent = try await server.agent(.udp)
        let response = try await agent.register(
            aor: "sip:bob@localhost", username: "bob-desk", password: "desk-secret", expires: 10)
        #expect(response.status == .intervalTooBrief)
        #expect(try response.headers.minExpires == 60)
        await agent.close()
    }

    @Test func tenFailuresBanTheSource() async throws {
        let server = try await ParleyTestServer.start()
        defer { Task { await server.stop() } }
        let agent = try await server.agent(.udp)
        var statuses: [Int] = []
        for _ in 0..<11 {
            let response = try await agent.register(aor: "sip:bob@localhost", username: "bob-desk", password: "guess")
            statuses.append(response.status.code)
        }
        #expect(statuses.prefix(9).allSatisfy { $0 == 401 })
        #expect(statuses[9] == 403)
        // Banned: even the right password is refused now.
        let right = try await agent.register(aor: "sip:bob@localhost", username: "bob-desk", password: "desk-secret")
        #expect(right.status == .forbidden)
        await agent.close()
    }

    @Test func webSocketNeedsTheSIPSubprotocol() async throws {
        let server = try await ParleyTestServer.start()
        defer { Task { await server.stop() } }
        await #expect(throws: SIPTestAgentError.self) {
            _ = try await SIPTestAgent.webSocket(
                server: server.address(.wss), tls: true, group: ParleyTestServer.group, subprotocol: nil)
        }
        await #expect(throws: SIPTestAgentError.self) {
            _ = try await SIPTestAgent.webSocket(
                server: server.address(.wss), tls: true, group: ParleyTestServer.group, path: "/other")
        }
    }

    @Test func foreignOriginIsRefused() async throws {
        let server = try await ParleyTestServer.start(allowedOrigins: ["https://localhost:8443"])
        defer { Task { await server.stop() } }
        await #expect(throws: SIPTestAgentError.self) {
            _ = try await SIPTestAgent.webSocket(
                server: server.address(.wss), tls: true, group: ParleyTestServer.group, origin: "https://evil.example")
        }
        let allowed = try await SIPTestAgent.webSocket(
            server: server.address(.wss), tls: true, group: ParleyTestServer.group, origin: "https://localhost:8443")
        await allowed.close()
    }

    /// `parley user add` runs in another process while the server runs: the server sees the new user
    /// within a couple of seconds.
    @Test func aUserAddedWhileRunningCanRegister() async throws {
        let server = try await ParleyTestServer.start()
        defer { Task { await server.stop() } }
        let store = try ParleyStore(dataDirectory: server.dataDirectory)
        try store.addUser(
            name: "dave", displayName: nil, passwordHash: ParleyTestServer.webPassword.hash("dave-web"), domain: "localhost")
        try store.addDevice(user: "dave", device: "dave-phone", password: "dave-secret", domain: "localhost")
        let agent = try await server.agent(.udp)
        var status = 0
        for _ in 0..<30 where status != 200 {
            try await Task.sleep(for: .milliseconds(200))
            status = try await agent.register(aor: "sip:dave@localhost", username: "dave-phone", password: "dave-secret")
                .status.code
        }
        #expect(status == 200)
        await agent.close()
    }

    @Test func bindingsSurviveARestart() async throws {
        let first = try await ParleyTestServer.start()
        let device = try await first.registered(.udp, user: "bob", account: "bob-desk")
        await first.stop(removingData: false)
        // The device keeps its socket; the server comes back on new ports with the same store.
        let second = try await ParleyTestServer.start(dataDirectory: first.dataDirectory)
        defer { Task { await second.stop() } }
        let sender = try await second.registered(.udp, user: "alice", account: "alice-phone")
        device.onMessage { message, agent in
            guard let request = message.request, request.method == .message else { return false }
            agent.reply(to: request, status: .ok)
            return false
        }
        let response = try await sender.sendAuthenticated(
            .message, uri: "sip:bob@localhost", from: "sip:alice@localhost", to: "sip:bob@localhost",
            username: "alice-phone", password: "phone-secret", body: "after restart", contentType: "text/plain")
        #expect(response.status == .ok)
        let delivered = try await device.nextRequest(.message)
        #expect(String(buffer: delivered.body) == "after restart")
        await device.close()
        await sender.close()
    }
}
