import Foundation
import GRDB
import SIPServices

/// Chatrooms (`sip:NAME@domain`, sharing the user namespace) and their members.
extension ParleyStore {
    public func createRoom(name: String, displayName: String?) throws(StorageError) {
        try Self.validateName(name)
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        try write { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM room WHERE name = ?", arguments: [name]) == true {
                throw StorageError.roomExists(name)
            }
            // A user's name (or a device's auth username) would make the SIP URI ambiguous.
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM user WHERE name = ?", arguments: [name]) == true
                || Bool.fetchOne(db, sql: "SELECT 1 FROM private_identity WHERE auth_username = ?", arguments: [name])
                    == true
            {
                throw StorageError.nameTaken(name)
            }
            try db.execute(
                sql: "INSERT INTO room (name, display_name, created_at_ms) VALUES (?, ?, ?)",
                arguments: [name, displayName, now])
        }
    }

    /// Removes a room with its members; its history stays readable in the store but is no longer served.
    public func removeRoom(name: String) throws(StorageError) {
        try write { db in
            try db.execute(sql: "DELETE FROM room WHERE name = ?", arguments: [name])
            guard db.changesCount > 0 else { throw StorageError.roomNotFound(name) }
        }
    }

    public func addMember(room: String, user: String) throws(StorageError) {
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        try write { db in
            try Self.ensureRoomAndUser(room: room, user: user, db)
            try db.execute(
                sql: "INSERT OR IGNORE INTO room_member (room_name, user_name, joined_at_ms) VALUES (?, ?, ?)",
                arguments: [room, user, now])
        }
    }

    public func removeMember(room: String, user: String) throws(StorageError) {
        try write { db in
            try Self.ensureRoomAndUser(room: room, user: user, db)
            try db.execute(
                sql: "DELETE FROM room_member WHERE room_name = ? AND user_name = ?", arguments: [room, user])
            guard db.changesCount > 0 else { throw StorageError.notAMember(room: room, user: user) }
        }
    }

    public func listRooms() throws(StorageError) -> [RoomSummary] {
        try read { db in
            let rooms = try Row.fetchAll(db, sql: "SELECT name, display_name FROM room ORDER BY name")
            var members: [String: [String]] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT room_name, user_name FROM room_member ORDER BY user_name") {
                members[row["room_name"], default: []].append(row["user_name"])
            }
            return rooms.map { row in
                let name: String = row["name"]
                return RoomSummary(name: name, displayName: row["display_name"], members: members[name] ?? [])
            }
        }
    }

    /// The rooms `user` belongs to, by name.
    public func rooms(of user: String) throws(StorageError) -> [String] {
        try read { db in
            try String.fetchAll(
                db, sql: "SELECT room_name FROM room_member WHERE user_name = ? ORDER BY room_name", arguments: [user])
        }
    }

    /// Every room with its members, and every user's display name: the SIP runtime's chat directory.
    public func loadChatDirectory() throws(StorageError) -> (rooms: [ChatRoom], displayNames: [String: String]) {
        try read { db in
            var members: [String: Set<String>] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT room_name, user_name FROM room_member") {
                members[row["room_name"], default: []].insert(row["user_name"])
            }
            let rooms = try Row.fetchAll(db, sql: "SELECT name, display_name FROM room").map { row in
                let name: String = row["name"]
                return ChatRoom(name: name, displayName: row["display_name"], members: members[name] ?? [])
            }
            var displayNames: [String: String] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT name, display_name FROM user WHERE display_name IS NOT NULL") {
                displayNames[row["name"]] = row["display_name"]
            }
            return (rooms, displayNames)
        }
    }

    public func roomExists(_ name: String) throws(StorageError) -> Bool {
        try read { db in try Bool.fetchOne(db, sql: "SELECT 1 FROM room WHERE name = ?", arguments: [name]) == true }
    }

    private static func ensureRoomAndUser(room: String, user: String, _ db: Database) throws {
        guard try Bool.fetchOne(db, sql: "SELECT 1 FROM room WHERE name = ?", arguments: [room]) == true else {
            throw StorageError.roomNotFound(room)
        }
        guard try Bool.fetchOne(db, sql: "SELECT 1 FROM user WHERE name = ?", arguments: [user]) == true else {
            throw StorageError.userNotFound(user)
        }
    }
}
