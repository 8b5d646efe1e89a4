import Foundation
import SIPCore
import SIPServices
import SIPTestKit
import Storage
import Testing

/// Chatrooms and stored private messages over SIP (RFC 3428 MESSAGE, RFC 3862 CPIM): Parley stores each
/// text before answering and delivers it as its own UAC.
@Suite("Chat messaging", .serialized)
struct ChatMessagingTests {
    static func answerMessages(_ agent: SIPTestAgent, status: SIPStatus = .ok) {
        agent.onMessage { message, agent in
            if let request = message.request, request.method == .message { agent.reply(to: request, status: status) }
            return false
        }
    }

    /// Sends a text MESSAGE over a connection whose REGISTER authenticated it (UDP would be challenged).
    static func send(
        _ text: String, from agent: SIPTestAgent, user: String, to target: String
    ) async throws -> SIPResponse {
        let callID = agent.uniqueToken()
        agent.send(
            text: agent.makeRequest(
                .message, uri: "sip:\(target)@localhost", from: "sip:\(user)@localhost", fromTag: agent.uniqueToken(),
                to: "sip:\(target)@localhost", callID: callID, cseq: 1, body: text,
                contentType: "text/plain;charset=utf-8"))
        return try await agent.finalResponse(callID: callID, cseq: 1)
    }

    @Test func aRoomMessageReachesEveryMemberDeviceButTheSendingOne() async throws {
        let server = try await ParleyTestServer.start(rooms: ["lobby": ["alice", "bob", "carol"]])
        defer { Task { await server.stop() } }
        let aliceWeb = try await server.registered(.wss, user: "alice", acceptsCPIM: true)
        let alicePhone = try await server.registered(.udp, user: "alice", account: "alice-phone")
        let bobDesk = try await server.registered(.tcp, user: "bob", account: "bob-desk")
        let bobWeb = try await server.registered(.ws, user: "bob", acceptsCPIM: true)
        for agent in [aliceWeb, alicePhone, bobDesk, bobWeb] { Self.answerMessages(agent) }

        let answer = try await Self.send("hello room", from: bobDesk, user: "bob", to: "lobby")
        #expect(answer.status == .ok)

        // A device that accepts CPIM sees the original sender and the stored id (RFC 3862, RFC 5438).
        let atAliceWeb = try await aliceWeb.nextRequest(.message)
        #expect(try atAliceWeb.headers.from?.uri.description == "sip:lobby@localhost")
        #expect(atAliceWeb.headers.first(.contentType)?.valueString == "message/cpim")
        let cpim = try CPIMMessage(parsing: String(buffer: atAliceWeb.body))
        #expect(cpim.from.uri == "sip:bob@localhost")
        #expect(cpim.to.uri == "sip:lobby@localhost")
        #expect(cpim.body == "hello room")
        let history = try ParleyStore(dataDirectory: server.dataDirectory).history(
            of: .room("lobby"), page: .latest(limit: 10))
        #expect(history.map(\.body) == ["hello room"])
        #expect(cpim.messageID == String(history[0].id))
        #expect(abs(cpim.dateTimeMs - history[0].createdAtMs) < 1)

        // A plain softphone gets the sender's name in front of the text, from the room.
        let atAlicePhone = try await alicePhone.nextRequest(.message)
        #expect(try atAlicePhone.headers.from?.uri.description == "sip:lobby@localhost")
        #expect(String(buffer: atAlicePhone.body) == "bob: hello room")
        // The sender's other device gets it too; the sending device does not.
        let atBobWeb = try await bobWeb.nextRequest(.message)
        #expect(try CPIMMessage(parsing: String(buffer: atBobWeb.body)).body == "hello room")
        try await Task.sleep(for: .milliseconds(300))
        #expect(bobDesk.pendingCount == 0, "the sending device got its own message back")
        for agent in [aliceWeb, alicePhone, bobDesk, bobWeb] { await agent.close() }
    }

    @Test func aSoftphoneJoinsAndLeavesWithCommands() async throws {
        let server = try await ParleyTestServer.start(rooms: ["lobby": ["alice"]])
        defer { Task { await server.stop() } }
        let bobDesk = try await server.registered(.tcp, user: "bob", account: "bob-desk")
        let alicePhone = try await server.registered(.udp, user: "alice", account: "alice-phone")
        Self.answerMessages(bobDesk)
        Self.answerMessages(alicePhone)

        let refused = try await Self.send("let me in", from: bobDesk, user: "bob", to: "lobby")
        #expect(refused.status == .forbidden)
        #expect(refused.reasonPhrase.contains("/join"))

        #expect(try await Self.send(" /JOIN ", from: bobDesk, user: "bob", to: "lobby").status == .ok)
        let joined = try await bobDesk.nextRequest(.message)
        #expect(String(buffer: joined.body) == "You joined Lobby.")
        #expect(try await Self.send("hi alice", from: bobDesk, user: "bob", to: "lobby").status == .ok)
        #expect(String(buffer: try await alicePhone.nextRequest(.message).body) == "bob: hi alice")

        #expect(try await Self.send("/leave", from: bobDesk, user: "bob", to: "lobby").status == .ok)
        #expect(String(buffer: try await bobDesk.nextRequest(.message).body) == "You left Lobby.")
        #expect(try await Self.send("still here?", from: bobDesk, user: "bob", to: "lobby").status == .forbidden)
        await bobDesk.close()
        await alicePhone.close()
    }

    @Test func aRoomRefusesWhatItCannotStore() async throws {
        let server = try await ParleyTestServer.start(rooms: ["lobby": ["alice"]])
        defer { Task { await server.stop() } }
        let alice = try await server.registered(.tcp, user: "alice", account: "alice-phone")
        let callID = alice.uniqueToken()
        alice.send(
            text: alice.makeRequest(
                .message, uri: "sip:lobby@localhost", from: "sip:alice@localhost", fromTag: "t",
                to: "sip:lobby@localhost",
                callID: callID, cseq: 1, body: "<html/>", contentType: "text/html"))
        let html = try await alice.finalResponse(callID: callID, cseq: 1)
        #expect(html.status == .unsupportedMediaType)
        #expect(html.headers.first(.accept)?.valueString == "text/plain")
        let large = try await Self.send(String(repeating: "x", count: 8193), from: alice, user: "alice", to: "lobby")
        #expect(large.status.code == 413)
        #expect(try await Self.send("   ", from: alice, user: "alice", to: "lobby").status == .badRequest)
        let history = try ParleyStore(dataDirectory: server.dataDirectory).history(
            of: .room("lobby"), page: .latest(limit: 10))
        #expect(history.isEmpty)
        await alice.close()
    }

    /// RFC 3428 section 7 store-and-forward: 202 while nobody is registered, delivery (CPIM with the
    /// original time) when the recipient registers, and not again once a device accepted it.
    @Test func anOfflineMessageIsDeliveredOnRegistration() async throws {
        let server = try await ParleyTestServer.start()
        defer { Task { await server.stop() } }
        let alice = try await server.registered(.tcp, user: "alice", account: "alice-phone")
        let stored = try await Self.send("are you there, carol?", from: alice, user: "alice", to: "carol")
        #expect(stored.status.code == 202)
        try await Task.sleep(for: .milliseconds(20))

        // Queued messages go out as soon as the REGISTER is answered: the handler must be there before.
        let carol = try await server.registered(.wss, user: "carol", acceptsCPIM: true) { Self.answerMessages($0) }
        let delivered = try await carol.nextRequest(.message)
        #expect(try delivered.headers.from?.uri.description == "sip:alice@localhost")
        let cpim = try CPIMMessage(parsing: String(buffer: delivered.body))
        #expect(cpim.body == "are you there, carol?")
        let store = try ParleyStore(dataDirectory: server.dataDirectory)
        let history = try store.history(of: .between("alice", "carol"), page: .latest(limit: 10))
        #expect(cpim.dateTimeMs == history[0].createdAtMs, "the original time, not the delivery's")
        try await Self.waitUntil { try store.pendingMessages(for: "carol", limit: 10).isEmpty }

        // Delivered once: a second device registering later gets nothing.
        await carol.close()
        let again = try await server.registered(.ws, user: "carol", acceptsCPIM: true) { Self.answerMessages($0) }
        await #expect(throws: (any Error).self) { try await again.nextRequest(.message, timeout: .milliseconds(500)) }
        await again.close()
        await alice.close()
    }

    @Test func aPrivateMessageIsStoredThenAnsweredByTheFirstDevice() async throws {
        let server = try await ParleyTestServer.start()
        defer { Task { await server.stop() } }
        let alice = try await server.registered(.wss, user: "alice")
        let desk = try await server.registered(.udp, user: "bob", account: "bob-desk")
        let laptop = try await server.registered(.tcp, user: "bob", account: "bob-laptop")
        Self.answerMessages(desk, status: .temporarilyUnavailable)
        Self.answerMessages(laptop)
        #expect(try await Self.send("lunch?", from: alice, user: "alice", to: "bob").status == .ok)
        #expect(String(buffer: try await laptop.nextRequest(.message).body) == "lunch?")
        let store = try ParleyStore(dataDirectory: server.dataDirectory)
        #expect(try store.history(of: .between("alice", "bob"), page: .latest(limit: 5)).map(\.body) == ["lunch?"])
        try await Self.waitUntil { try store.pendingMessages(for: "bob", limit: 10).isEmpty }

        // Every device refuses: the sender hears 202 and the message waits for bob's next registration.
        Self.answerMessages(laptop, status: .busyHere)
        #expect(try await Self.send("later then", from: alice, user: "alice", to: "bob").status.code == 202)
        #expect(try store.pendingMessages(for: "bob", limit: 10).map(\.body) == ["later then"])
        for agent in [alice, desk, laptop] { await agent.close() }
    }

    static func waitUntil(_ condition: () throws -> Bool) async throws {
        for _ in 0..<100 {
            if try condition() { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        Issue.record("condition not met within 2 s")
    }

    /// RFC 3428 section 5: a text too long for one UDP datagram (1300 bytes) is cut for a UDP device, and
    /// says so; a device over TCP gets it whole.
    @Test func aLongTextIsCutForUDPDevicesOnly() async throws {
        let server = try await ParleyTestServer.start(rooms: ["lobby": ["alice", "bob"]])
        defer { Task { await server.stop() } }
        let phone = try await server.registered(.udp, user: "alice", account: "alice-phone") { Self.answerMessages($0) }
        let web = try await server.registered(.ws, user: "alice") { Self.answerMessages($0) }
        let bob = try await server.registered(.tcp, user: "bob", account: "bob-desk")
        let long = String(repeating: "é", count: 1500)
        #expect(try await Self.send(long, from: bob, user: "bob", to: "lobby").status == .ok)
        let cut = String(buffer: try await phone.nextRequest(.message).body)
        #expect(cut.hasPrefix("bob: éé") && cut.hasSuffix("[cut: the whole message is in the history]"))
        #expect(cut.utf8.count <= 800)
        #expect(String(buffer: try await web.nextRequest(.message).body) == "bob: " + long)
        for agent in [phone, web, bob] { await agent.close() }
    }
}
