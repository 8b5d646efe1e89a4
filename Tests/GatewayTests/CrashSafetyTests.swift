import Foundation
import NIOConcurrencyHelpers
import SIPCore
import SIPServices
import SIPTestKit
import Storage
import Testing

/// Nothing acknowledged is ever lost (issue 6): a room message is answered 200 only once SQLite committed
/// it, so killing the server with SIGKILL at any moment loses only what was never acknowledged.
@Suite("Crash safety", .serialized)
struct CrashSafetyTests {
    static let rounds = 50

    @Test func killNineUnderRoomLoadLosesNoAcknowledgedMessage() async throws {
        let directory = ParleyTestServer.makeDataDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try ParleyStore(dataDirectory: directory)
        for user in ["alice", "bob"] {
            try store.addUser(
                name: user, displayName: nil, passwordHash: ParleyTestServer.webPassword.hash("x"), domain: "localhost")
        }
        try store.addDevice(user: "alice", device: "alice-phone", password: "phone-secret", domain: "localhost")
        try store.createRoom(name: "lobby", displayName: nil)
        try store.addMember(room: "lobby", user: "alice")
        try store.addMember(room: "lobby", user: "bob")

        let acknowledged = NIOLockedValueBox<Set<String>>([])
        var sentTotal = 0
        for round in 0..<Self.rounds {
            let port = try ExternalPeer.freePort()
            let server = try ExternalPeer.start(
                ExternalPeer.parleyBinary,
                [
                    "serve", "--data-dir", directory, "--domain", "localhost", "--sip-udp", "off", "--sip-tls", "off",
                    "--https", "off", "--sip-tcp", "127.0.0.1:\(port)",
                ])
            defer { server.stop() }
            let agent = try await Self.connect(port: port)
            // A new Contact every round, as a client that crashed and reconnected: the bindings restored from
            // earlier rounds have lost their connections and give way (at most 10 per user).
            let registered = try await agent.register(
                aor: "sip:alice@localhost", username: "alice-phone", password: "phone-secret")
            #expect(
                registered.status == .ok, "round \(round): \(registered.reasonPhrase) \(server.output().suffix(500))")
            agent.onMessage { message, _ in
                if let response = message.response, response.status == .ok,
                    let callID = (try? response.headers.callID)??.value
                {
                    acknowledged.withLockedValue { _ = $0.insert(callID) }
                }
                return true
            }
            // Messages go out back to back; the kill lands somewhere in the stream, mid-commit or not.
            let killAfter = Duration.milliseconds(Int.random(in: 20...200))
            let clock = ContinuousClock()
            let deadline = clock.now.advanced(by: killAfter)
            while clock.now < deadline {
                for _ in 0..<10 {
                    let callID = "r\(round)-m\(sentTotal)"
                    agent.send(
                        text: agent.makeRequest(
                            .message, uri: "sip:lobby@localhost", from: "sip:alice@localhost", fromTag: "t\(sentTotal)",
                            to: "sip:lobby@localhost", callID: callID, cseq: 1, body: callID, contentType: "text/plain")
                    )
                    sentTotal += 1
                }
                try await Task.sleep(for: .milliseconds(2))
            }
            kill(server.process.processIdentifier, SIGKILL)
            server.process.waitUntilExit()
            await agent.close()
        }
        var all = Set<String>()
        var page = try ParleyStore(dataDirectory: directory).history(of: .room("lobby"), page: .latest(limit: 500))
        while !page.isEmpty {
            all.formUnion(page.map(\.body))
            page = try ParleyStore(dataDirectory: directory).history(
                of: .room("lobby"), page: .before(id: page[0].id, limit: 500))
        }
        let acked = acknowledged.withLockedValue { $0 }
        print("crash safety: \(Self.rounds) kills, \(sentTotal) sent, \(acked.count) acknowledged, \(all.count) stored")
        #expect(acked.count > Self.rounds, "the load acknowledged \(acked.count) messages")
        let lost = acked.subtracting(all)
        #expect(lost.isEmpty, "acknowledged but lost: \(lost.sorted().prefix(10))")
        // Every stored message was sent once: no duplicates from retransmissions either.
        #expect(all.count <= sentTotal)
    }

    /// The server takes a moment to start: connect until it listens (bounded).
    static func connect(port: Int) async throws -> SIPTestAgent {
        let address = SIPPeerAddress(host: "127.0.0.1", port: UInt16(port))
        for _ in 0..<200 {
            if let agent = try? await SIPTestAgent.stream(server: address, tls: false, group: ParleyTestServer.group) {
                return agent
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw ExternalPeerError("parley did not listen on \(port) within 10 s")
    }
}
