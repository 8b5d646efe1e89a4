import GRDB
import SIPServices

/// Room and private messages, their history pages, and read markers (unread counts kept on the server).
extension ParleyStore {
    /// Stores a message and returns it with its id. The write is committed (WAL) before this returns, so a
    /// message is acknowledged to its sender only once it is durable.
    public func appendMessage(
        to conversation: Conversation, sender: String, senderDevice: String?, contentType: String, body: String,
        nowMs: Int64
    ) throws(StorageError) -> StoredChatMessage {
        let draft = ChatMessageDraft(
            conversation: conversation, sender: sender, senderDevice: senderDevice, contentType: contentType,
            body: body, createdAtMs: nowMs)
        return try appendMessages([draft])[0]
    }

    /// Stores messages, with their pending deliveries, in one transaction (one commit for a burst), in order.
    public func appendMessages(_ drafts: [ChatMessageDraft]) throws(StorageError) -> [StoredChatMessage] {
        try write { db in
            var stored: [StoredChatMessage] = []
            stored.reserveCapacity(drafts.count)
            // Cached statements: a burst of messages is parsed by SQLite once, not once per message.
            let insertMessage = try db.cachedStatement(
                sql: """
                    INSERT INTO chat_message (conversation, sender, sender_device, content_type, body, created_at_ms)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """)
            let insertPending = try db.cachedStatement(
                sql: "INSERT OR IGNORE INTO pending_delivery (user_name, message_id) VALUES (?, ?)")
            for draft in drafts {
                try insertMessage.execute(
                    arguments: [
                        draft.conversation.storageKey, draft.sender, draft.senderDevice, draft.contentType, draft.body,
                        draft.createdAtMs,
                    ])
                let id = db.lastInsertedRowID
                for user in draft.pendingFor { try insertPending.execute(arguments: [user, id]) }
                stored.append(
                    StoredChatMessage(
                        id: id, conversation: draft.conversation, sender: draft.sender,
                        senderDevice: draft.senderDevice,
                        contentType: draft.contentType, body: draft.body, createdAtMs: draft.createdAtMs))
            }
            return stored
        }
    }

    /// Messages queued for `user` (no device of theirs accepted them yet), oldest first.
    public func pendingMessages(for user: String, limit: Int) throws(StorageError) -> [StoredChatMessage] {
        try read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT m.id, m.conversation, m.sender, m.sender_device, m.content_type, m.body, m.created_at_ms
                    FROM pending_delivery p JOIN chat_message m ON m.id = p.message_id
                    WHERE p.user_name = ? ORDER BY m.id LIMIT ?
                    """,
                arguments: [user, limit]
            ).compactMap(Self.message(from:))
        }
    }

    /// A device of `user` accepted the message.
    public func markDelivered(messageID: Int64, to user: String) throws(StorageError) {
        try markDelivered([(messageID, user)])
    }

    /// Several messages accepted, in one transaction.
    public func markDelivered(_ marks: [(messageID: Int64, user: String)]) throws(StorageError) {
        guard !marks.isEmpty else { return }
        try write { db in
            let delete = try db.cachedStatement(
                sql: "DELETE FROM pending_delivery WHERE user_name = ? AND message_id = ?")
            for mark in marks { try delete.execute(arguments: [mark.user, mark.messageID]) }
        }
    }

    static func message(from row: Row) -> StoredChatMessage? {
        guard let conversation = Conversation(storageKey: row["conversation"]) else { return nil }
        return StoredChatMessage(
            id: row["id"], conversation: conversation, sender: row["sender"], senderDevice: row["sender_device"],
            contentType: row["content_type"], body: row["body"], createdAtMs: row["created_at_ms"])
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
                    sql:
                        "SELECT \(columns) FROM chat_message WHERE conversation = ? AND id < ? ORDER BY id DESC LIMIT ?",
                    arguments: [key, id, page.limit]
                ).reversed()
            case .after(let id, _):
                rows = try Row.fetchAll(
                    db,
                    sql:
                        "SELECT \(columns) FROM chat_message WHERE conversation = ? AND id > ? ORDER BY id ASC LIMIT ?",
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
                if let conversation = Conversation(storageKey: row["conversation"]) {
                    counts[conversation] = row["unread"]
                }
            }
            return counts
        }
    }
}
