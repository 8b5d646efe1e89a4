import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Storage
import Testing

/// The chat history API: the signed-in user's rooms with unread counts, pages of history, read markers.
@Suite("Chat history API", .serialized)
struct ChatAPITests {
    @Test func roomsHistoryPagesAndReadMarkers() async throws {
        try await WebFrontTests.withWebFront { server, client in
            let store = try ParleyStore(dataDirectory: server.dataDirectory)
            try store.createRoom(name: "lobby", displayName: "Lobby")
            try store.createRoom(name: "attic", displayName: nil)
            try store.addMember(room: "lobby", user: "alice")
            try store.addMember(room: "lobby", user: "bob")
            var ids: [Int64] = []
            for index in 0..<120 {
                ids.append(
                    try store.appendMessage(
                        to: .room("lobby"), sender: index.isMultiple(of: 3) ? "alice" : "bob", senderDevice: nil,
                        contentType: "text/plain", body: "line \(index)", nowMs: 1_000 + Int64(index)
                    ).id)
            }
            _ = try store.appendMessage(
                to: .between("alice", "bob"), sender: "bob", senderDevice: "bob-desk", contentType: "text/plain",
                body: "psst", nowMs: 5_000)
            let session = try await WebFrontTests.signedIn(client)
            let cookie: HTTPFields = [.cookie: session.cookie]

            let rooms = try WebFrontTests.json(try await client.get("/api/rooms", headers: cookie))
            let listed = try #require(rooms["rooms"] as? [[String: Any]])
            #expect(listed.map { $0["name"] as? String } == ["lobby"], "only the user's rooms")
            #expect(listed.first?["unread"] as? Int == 80, "bob's 80 of the 120 lines")
            #expect((rooms["privateUnread"] as? [String: Int]) == ["bob": 1])

            let newest = try WebFrontTests.json(
                try await client.get("/api/rooms/lobby/messages?limit=50", headers: cookie))
            let newestPage = try #require(newest["messages"] as? [[String: Any]])
            #expect(newestPage.map { $0["body"] as? String } == (70..<120).map { "line \($0)" })
            let firstID = try #require(newestPage.first?["id"] as? Int64)
            let older = try WebFrontTests.json(
                try await client.get("/api/rooms/lobby/messages?before=\(firstID)&limit=50", headers: cookie))
            #expect(
                (older["messages"] as? [[String: Any]])?.map { $0["body"] as? String } == (20..<70).map { "line \($0)" }
            )
            let after = try WebFrontTests.json(
                try await client.get("/api/rooms/lobby/messages?after=\(ids[117])", headers: cookie))
            #expect((after["messages"] as? [[String: Any]])?.count == 2)

            let read = try await client.post(
                "/api/rooms/lobby/read", headers: [.cookie: session.cookie, .contentType: "application/json"],
                body: ByteBuffer(string: #"{"upTo": \#(ids[119])}"#))
            #expect(read.status == .noContent)
            let afterRead = try WebFrontTests.json(try await client.get("/api/rooms", headers: cookie))
            #expect((afterRead["rooms"] as? [[String: Any]])?.first?["unread"] as? Int == 0)

            let whisper = try WebFrontTests.json(try await client.get("/api/private/bob/messages", headers: cookie))
            #expect((whisper["messages"] as? [[String: Any]])?.map { $0["body"] as? String } == ["psst"])

            #expect(try await client.get("/api/rooms/attic/messages", headers: cookie).status == .forbidden)
            #expect(try await client.get("/api/rooms/cellar/messages", headers: cookie).status == .notFound)
            #expect(try await client.get("/api/private/mallory/messages", headers: cookie).status == .notFound)
            #expect(try await client.get("/api/rooms/lobby/messages?before=x", headers: cookie).status == .badRequest)
            #expect(try await client.get("/api/rooms").status == .unauthorized)
        }
    }

    /// Joining and leaving from the web, the rooms one may join, and the buddies of one's rooms; a message
    /// to the room right after joining is taken (the SIP runtime's directory already knows).
    @Test func joinLeaveAvailableRoomsAndBuddies() async throws {
        try await WebFrontTests.withWebFront { server, client in
            let store = try ParleyStore(dataDirectory: server.dataDirectory)
            try store.createRoom(name: "lobby", displayName: "Lobby")
            try store.createRoom(name: "attic", displayName: nil)
            try store.addMember(room: "lobby", user: "bob")
            try store.addMember(room: "attic", user: "carol")
            let session = try await WebFrontTests.signedIn(client)
            let cookie: HTTPFields = [.cookie: session.cookie]
            let json: HTTPFields = [.cookie: session.cookie, .contentType: "application/json"]

            let before = try WebFrontTests.json(try await client.get("/api/rooms", headers: cookie))
            #expect((before["rooms"] as? [[String: Any]])?.isEmpty == true)
            #expect(
                (before["available"] as? [[String: Any]])?.compactMap { $0["name"] as? String } == ["attic", "lobby"])
            #expect(
                (try WebFrontTests.json(try await client.get("/api/users", headers: cookie))["users"] as? [Any])?
                    .isEmpty == true)

            let join = try await client.post("/api/rooms/lobby/join", headers: json, body: ByteBuffer(string: "{}"))
            #expect(join.status == .noContent)
            let page = try await WebFrontTests.pageSocket(server, cookie: session.cookie)
            #expect(try await session.register(on: page).status == .ok)
            let callID = page.uniqueToken()
            page.send(
                text: page.makeRequest(
                    .message, uri: "sip:lobby@localhost", from: "sip:alice@localhost", fromTag: "j",
                    to: "sip:lobby@localhost",
                    callID: callID, cseq: 1, body: "hello, I just joined", contentType: "text/plain"))
            #expect(try await page.finalResponse(callID: callID, cseq: 1).status == .ok)

            let after = try WebFrontTests.json(try await client.get("/api/rooms", headers: cookie))
            let mine = try #require(after["rooms"] as? [[String: Any]])
            #expect(mine.map { $0["name"] as? String } == ["lobby"])
            #expect((mine.first?["members"] as? [String]) == ["alice", "bob"])
            #expect((after["available"] as? [[String: Any]])?.compactMap { $0["name"] as? String } == ["attic"])
            let buddies = try WebFrontTests.json(try await client.get("/api/users", headers: cookie))
            #expect(
                (buddies["users"] as? [[String: Any]])?.compactMap { $0["uri"] as? String } == ["sip:bob@localhost"])

            #expect(
                try await client.post("/api/rooms/lobby/leave", headers: json, body: ByteBuffer(string: "{}")).status
                    == .noContent)
            #expect(
                try await client.post("/api/rooms/lobby/leave", headers: json, body: ByteBuffer(string: "{}")).status
                    == .noContent)
            #expect(
                try await client.post("/api/rooms/cellar/join", headers: json, body: ByteBuffer(string: "{}")).status
                    == .notFound)
            #expect(try store.rooms(of: "alice").isEmpty)
            #expect(
                try await client.post("/api/rooms/lobby/join", body: ByteBuffer(string: "{}")).status == .unauthorized)
            await page.close()
        }
    }
}
