import GRDB

/// Room and private messages, their history pages, and read markers (unread counts kept on the server).
extension ParleyStore {
    /// Stores a message and returns it with its id. The write is committed (WAL) before this returns, so a
    /// message is acknowledged to its sender only once it is durable.
    public func appendMessage(
        to conversation: Conversation, sender: String, senderDevice: String?, contentType: String, body: String,
        nowMs: Int64
    ) throws(StorageError) -> StoredChatMessage {
        try write { db in
            try db.execute(
                sql: """
                    INSERT INTO chat_message (conversation, sender, sender_device, content_type, body, created_at_ms)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """,
                arguments: [conversation.storageKey, sender, senderDevice, contentType, body, nowMs])
            return StoredChatMessage(
                id: db.lastInsertedRowID, conversation: conversation, sender: sender, senderDevice: senderDevice,
                contentType: contentType, body: body, createdAtMs: nowMs)
        }
    }

    /// A page of a conversation's history, oldest first.
    public func history(of conversation: Conversation, page: HistoryPage) throws(StorageError) -> [StoredChatMessage] {
        let columns = "id, conversation, sender, sender_device, content_type, body, created_at_ms"
        let key = conversation.storageKey
        return try read { db in
            let rows: [Row]
            switch page {
            case .latest:
                rows = try Row.fetchAll(
                    db, sql: "SELECT \(columns) FROM chat_message WHERE conversation = ? ORDER BY id DESC LIMIT ?",
                    arguments: [key, page.limit]
                ).reversed()
            case .before(let id, _):
                rows = try Row.fetchAll(
                    db,
                    sql: "SELECT \(columns) FROM chat_message WHERE conversation = ? AND id < ? ORDER BY id DESC LIMIT ?",
                    arguments: [key, id, page.limit]
                ).reversed()
            case .after(let id, _):
                rows = try Row.fetchAll(
                    db,
                    sql: "SELECT \(columns) FROM chat_message WHERE conversation = ? AND id > ? ORDER BY id ASC LIMIT ?",
                    arguments: [key, id, page.limit])
            }
            return rows.map { row in
                StoredChatMessage(
                    id: row["id"], conversation: conversation, sender: row["sender"],
                    senderDevice: row["sender_device"], contentType: row["content_type"], body: row["body"],
                    createdAtMs: row["created_at_ms"])
            }
        }
    }

    /// Marks `conversation` read by `user` up to message `id`; a marker never moves back.
    public func markRead(user: String, conversation: Conversation, upTo id: Int64) throws(StorageError) {
        try write { db in
            try db.execute(
                sql: """
                    INSERT INTO read_marker (user_name, conversation, last_read_id) VALUES (?, ?, ?)
                    ON CONFLICT (user_name, conversation) DO UPDATE SET last_read_id = MAX(last_read_id, excluded.last_read_id)
                    """,
                arguments: [user, conversation.storageKey, id])
        }
    }

    /// Unread messages per conversation for `user`: those after the read marker that others sent. Covers
    /// the user's rooms and every private conversation they take part in; conversations with none are left out.
    public func unreadCounts(user: String) throws(StorageError) -> [Conversation: Int] {
        try read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT m.conversation AS conversation, COUNT(*) AS unread
                    FROM chat_message m
                    LEFT JOIN read_marker r ON r.user_name = :user AND r.conversation = m.conversation
                    WHERE m.sender != :user AND m.id > COALESCE(r.last_read_id, 0)
                      AND (m.conversation IN (SELECT 'room:' || room_name FROM room_member WHERE user_name = :user)
                           OR substr(m.conversation, 1, length(:first)) = :first
                           OR (substr(m.conversation, 1, 8) = 'private:'
                               AND substr(m.conversation, -length(:second)) = :second))
                    GROUP BY m.conversation
                    """,
                // Exact prefix and suffix tests, not LIKE: names may contain `_`, a LIKE wildcard.
                arguments: ["user": user, "first": "private:\(user)|", "second": "|\(user)"])
            var counts: [Conversation: Int] = [:]
            for row in rows {
                if let conversation = Conversation(storageKey: row["conversation"]) { counts[conversation] = row["unread"] }
            }
            return counts
        }
    }
}
