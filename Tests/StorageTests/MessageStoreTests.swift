import Foundation
import SIPServices
import Storage
import Testing

/// Room and private history with cursors, and unread counts from read markers.
@Suite("Messages in the store")
struct MessageStoreTests {
    @Test func historyPagesThroughAThousandMessagesWithCursors() throws {
        let (store, directory) = try RoomStoreTests.store()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try store.createRoom(name: "lobby", displayName: nil)
        var ids: [Int64] = []
        for index in 0..<1_000 {
            let sender = index.isMultiple(of: 2) ? "alice" : "bob"
            ids.append(
                try store.appendMessage(
                    to: .room("lobby"), sender: sender, senderDevice: nil, contentType: "text/plain",
                    body: "message \(index)", nowMs: 1_000 + Int64(index)
                ).id)
            // Another conversation interleaved: its messages never show up in the room's pages.
            if index.isMultiple(of: 10) {
                _ = try store.appendMessage(
                    to: .between("bob", "alice"), sender: "bob", senderDevice: "bob-desk", contentType: "text/plain",
                    body: "aside", nowMs: 1_000)
            }
        }
        // Scrolling back from the newest, 100 at a time, visits every message once, in order.
        var seen: [String] = []
        var page = try store.history(of: .room("lobby"), page: .latest(limit: 100))
        while !page.isEmpty {
            seen.insert(contentsOf: page.map(\.body), at: 0)
            page = try store.history(of: .room("lobby"), page: .before(id: page[0].id, limit: 100))
        }
        #expect(seen == (0..<1_000).map { "message \($0)" })
        // Catching up forward from a cursor.
        let forward = try store.history(of: .room("lobby"), page: .after(id: ids[989], limit: 100))
        #expect(forward.map(\.body) == (990..<1_000).map { "message \($0)" })
        #expect(try store.history(of: .room("lobby"), page: .after(id: ids[999], limit: 100)).isEmpty)
        // Limits are clamped: a page is never empty by request nor larger than 500.
        #expect(try store.history(of: .room("lobby"), page: .latest(limit: 0)).count == 1)
        #expect(try store.history(of: .room("lobby"), page: .latest(limit: 10_000)).count == HistoryPage.maxLimit)
        let aside = try store.history(of: .between("alice", "bob"), page: .latest(limit: 500))
        #expect(aside.count == 100)
        #expect(aside.first?.senderDevice == "bob-desk")
    }

    @Test func unreadCountsFollowReadMarkersAndIgnoreOwnMessages() throws {
        let (store, directory) = try RoomStoreTests.store()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try store.createRoom(name: "lobby", displayName: nil)
        try store.createRoom(name: "dev", displayName: nil)
        try store.addMember(room: "lobby", user: "alice")
        try store.addMember(room: "lobby", user: "bob")
        func post(_ conversation: Conversation, from sender: String) throws -> Int64 {
            try store.appendMessage(
                to: conversation, sender: sender, senderDevice: nil, contentType: "text/plain", body: "hi", nowMs: 1
            ).id
        }
        _ = try post(.room("lobby"), from: "bob")
        let second = try post(.room("lobby"), from: "bob")
        _ = try post(.room("lobby"), from: "alice")
        _ = try post(.room("dev"), from: "bob")  // alice is not in dev
        _ = try post(.between("alice", "bob"), from: "bob")
        _ = try post(.between("a_b", "bob"), from: "bob")  // "a_b" must not match "alice" as a LIKE pattern would
        #expect(try store.unreadCounts(user: "alice") == [.room("lobby"): 2, .between("alice", "bob"): 1])
        try store.markRead(user: "alice", conversation: .room("lobby"), upTo: second)
        #expect(try store.unreadCounts(user: "alice") == [.between("alice", "bob"): 1])
        // A marker never moves back (an older tab reporting late).
        try store.markRead(user: "alice", conversation: .room("lobby"), upTo: 1)
        #expect(try store.unreadCounts(user: "alice")[.room("lobby")] == nil)
        #expect(try store.unreadCounts(user: "a_b") == [.between("a_b", "bob"): 1])
    }

    @Test func conversationKeysRoundTrip() {
        #expect(Conversation.between("bob", "alice") == .privateChat("alice", "bob"))
        for conversation in [Conversation.room("lobby"), .between("alice", "bob")] {
            #expect(Conversation(storageKey: conversation.storageKey) == conversation)
        }
        #expect(Conversation(storageKey: "private:alice") == nil)
        #expect(Conversation(storageKey: "other") == nil)
    }

    /// RFC 3428 store-and-forward: a private message stays queued for its recipient, in order, until a
    /// device accepts it; one batch is one transaction and keeps the order it was given.
    @Test func pendingDeliveriesQueueUntilDelivered() throws {
        let (store, directory) = try RoomStoreTests.store()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let drafts = (0..<3).map { index in
            ChatMessageDraft(
                conversation: .between("alice", "bob"), sender: "alice", senderDevice: "alice-phone",
                contentType: "text/plain", body: "note \(index)", createdAtMs: 5_000 + Int64(index), pendingFor: ["bob"]
            )
        }
        let stored = try store.appendMessages(drafts)
        #expect(stored.map(\.body) == ["note 0", "note 1", "note 2"])
        #expect(stored.map(\.id) == stored.map(\.id).sorted())
        #expect(try store.pendingMessages(for: "bob", limit: 10) == stored)
        #expect(try store.pendingMessages(for: "alice", limit: 10).isEmpty)
        #expect(try store.pendingMessages(for: "bob", limit: 2) == Array(stored.prefix(2)))
        try store.markDelivered(messageID: stored[1].id, to: "bob")
        #expect(try store.pendingMessages(for: "bob", limit: 10).map(\.body) == ["note 0", "note 2"])
        // Removing the user drops their queue with them.
        try store.removeUser(name: "bob", domain: "localhost")
        #expect(try store.pendingMessages(for: "bob", limit: 10).isEmpty)
    }

    /// What the SIP runtime's directory holds of rooms: members and display names, changed by joining.
    @Test func theChatDirectoryFollowsMembership() throws {
        let (store, directory) = try RoomStoreTests.store()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try store.createRoom(name: "lobby", displayName: "The Lobby")
        try store.addMember(room: "lobby", user: "alice")
        let chat = try StoreCredentialDirectory(store: store, domain: "localhost", refreshInterval: .seconds(3600))
        #expect(chat.room(AOR(user: "lobby", domain: "localhost"))?.members == ["alice"])
        #expect(chat.room(AOR(user: "lobby", domain: "elsewhere"))?.members == nil)
        #expect(chat.room(AOR(user: "alice", domain: "localhost")) == nil)
        try store.addMember(room: "lobby", user: "bob")
        try chat.reloadIfChanged()
        #expect(chat.room(AOR(user: "lobby", domain: "localhost"))?.members == ["alice", "bob"])
        #expect(chat.rooms(of: "bob").map(\.displayName) == ["The Lobby"])
        try store.removeMember(room: "lobby", user: "alice")
        try chat.reloadIfChanged()
        #expect(chat.rooms(of: "alice").isEmpty)
    }
}
