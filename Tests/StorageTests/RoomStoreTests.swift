import Foundation
import Storage
import Testing

/// Chatrooms, their members, and the names they share with users.
@Suite("Rooms in the store")
struct RoomStoreTests {
    static func store() throws -> (ParleyStore, String) {
        let directory = NSTemporaryDirectory() + "parley-rooms-" + UUID().uuidString
        let store = try ParleyStore(dataDirectory: directory)
        for user in ["alice", "bob", "a_b"] {
            try store.addUser(name: user, displayName: nil, passwordHash: "$2b$04$unused", domain: "localhost")
        }
        try store.addDevice(user: "bob", device: "bob-desk", password: "pw", domain: "localhost")
        return (store, directory)
    }

    @Test func roomsAreCreatedListedJoinedLeftAndRemoved() throws {
        let (store, directory) = try Self.store()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try store.createRoom(name: "lobby", displayName: "The lobby")
        try store.createRoom(name: "dev", displayName: nil)
        try store.addMember(room: "lobby", user: "bob")
        try store.addMember(room: "lobby", user: "alice")
        try store.addMember(room: "lobby", user: "alice")  // joining twice is one membership
        #expect(
            try store.listRooms() == [
                RoomSummary(name: "dev", displayName: nil, members: []),
                RoomSummary(name: "lobby", displayName: "The lobby", members: ["alice", "bob"]),
            ])
        #expect(try store.rooms(of: "alice") == ["lobby"])
        try store.removeMember(room: "lobby", user: "alice")
        #expect(throws: StorageError.notAMember(room: "lobby", user: "alice")) {
            try store.removeMember(room: "lobby", user: "alice")
        }
        try store.removeRoom(name: "lobby")
        #expect(try store.rooms(of: "bob").isEmpty)
        #expect(throws: StorageError.roomNotFound("lobby")) { try store.removeRoom(name: "lobby") }
    }

    @Test func roomsAndUsersShareOneNamespace() throws {
        let (store, directory) = try Self.store()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(throws: StorageError.nameTaken("alice")) { try store.createRoom(name: "alice", displayName: nil) }
        #expect(throws: StorageError.nameTaken("bob-desk")) { try store.createRoom(name: "bob-desk", displayName: nil) }
        try store.createRoom(name: "lobby", displayName: nil)
        #expect(throws: StorageError.roomExists("lobby")) { try store.createRoom(name: "lobby", displayName: nil) }
        #expect(throws: StorageError.nameTaken("lobby")) {
            try store.addUser(name: "lobby", displayName: nil, passwordHash: "x", domain: "localhost")
        }
        #expect(throws: StorageError.invalidName("lob by", reason: "use letters, digits and - . _ ~ only")) {
            try store.createRoom(name: "lob by", displayName: nil)
        }
        #expect(throws: StorageError.userNotFound("mallory")) { try store.addMember(room: "lobby", user: "mallory") }
        #expect(throws: StorageError.roomNotFound("attic")) { try store.addMember(room: "attic", user: "alice") }
    }

    @Test func removingAUserTakesThemOutOfTheirRooms() throws {
        let (store, directory) = try Self.store()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try store.createRoom(name: "lobby", displayName: nil)
        try store.addMember(room: "lobby", user: "alice")
        try store.removeUser(name: "alice", domain: "localhost")
        #expect(try store.listRooms().first?.members == [])
    }
}
