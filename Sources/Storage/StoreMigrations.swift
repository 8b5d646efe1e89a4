import GRDB

/// The schema, one migration per change; never edit a migration that has shipped.
enum StoreMigrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-users-identities-bindings") { db in
            // A public identity: sip:NAME@domain.
            try db.create(table: "user") { table in
                table.column("name", .text).primaryKey()
                table.column("display_name", .text)
                table.column("created_at_ms", .integer).notNull()
            }
            // Private identities (auth usernames) of a public identity: its web account and devices.
            // Only HA1 digests are kept (RFC 3261 section 22.4 allows storing H(A1) instead of the password).
            try db.create(table: "private_identity") { table in
                table.column("auth_username", .text).primaryKey()
                table.column("user_name", .text).notNull()
                    .references("user", column: "name", onDelete: .cascade)
                table.column("kind", .text).notNull()
                table.column("realm", .text).notNull()
                table.column("ha1_md5", .text).notNull()
                table.column("ha1_sha256", .text).notNull()
            }
            try db.create(index: "private_identity_user", on: "private_identity", columns: ["user_name"])
            // Registrar bindings over UDP/TCP/TLS, kept across restarts (WS bindings die with their flow).
            try db.create(table: "binding") { table in
                table.column("aor", .text).notNull()
                table.column("contact", .text).notNull()
                table.column("instance_id", .text)
                table.column("reg_id", .integer)
                table.column("q", .double).notNull()
                table.column("expires_at_ms", .integer).notNull()
                table.column("call_id", .text).notNull()
                table.column("cseq", .integer).notNull()
                table.column("transport", .text).notNull()
                table.column("remote_host", .text).notNull()
                table.column("remote_port", .integer).notNull()
                table.column("path", .text).notNull()
                table.column("auth_username", .text).notNull()
                table.column("user_agent", .text)
                table.primaryKey(["aor", "contact"])
            }
        }
        migrator.registerMigration("v2-directory-generation") { db in
            // One number that changes with every change to users or their identities, so that the server
            // notices `parley user` commands run by other processes with one cheap read (triggers keep it
            // right whoever writes).
            try db.execute(
                sql: """
                    CREATE TABLE directory_generation (id INTEGER PRIMARY KEY CHECK (id = 1), value INTEGER NOT NULL);
                    INSERT INTO directory_generation (id, value) VALUES (1, 0);
                    """)
            for table in ["user", "private_identity"] { try bumpGenerationTriggers(on: table, db) }
        }
        migrator.registerMigration("v3-web-passwords-and-sessions") { db in
            // The web account signs in over HTTPS with a bcrypt hash; its SIP requests use per-session keys
            // (DESIGN.md "Who may connect"). A digest HA1 of the web password would be a second, weaker
            // password equivalent, so the web rows keep their name (reserved) but lose their HA1s.
            try db.alter(table: "user") { table in
                table.add(column: "password_hash", .text)
            }
            try db.execute(sql: "UPDATE private_identity SET ha1_md5 = '', ha1_sha256 = '' WHERE kind = 'web'")
            // Signed-in browsers. The cookie is kept as its SHA-256 and the SIP key as its HA1s only.
            try db.create(table: "web_session") { table in
                table.column("id", .text).primaryKey()
                table.column("user_name", .text).notNull()
                    .references("user", column: "name", onDelete: .cascade)
                table.column("cookie_hash", .text).notNull().unique()
                table.column("ha1_md5", .text).notNull()
                table.column("ha1_sha256", .text).notNull()
                table.column("client_host", .text).notNull()
                table.column("user_agent", .text).notNull()
                table.column("created_at_ms", .integer).notNull()
                table.column("expires_at_ms", .integer).notNull()
            }
            try db.create(index: "web_session_user", on: "web_session", columns: ["user_name"])
        }
        migrator.registerMigration("v4-rooms-and-messages") { db in
            // Chatrooms (sip:NAME@domain) and who belongs to them.
            try db.create(table: "room") { table in
                table.column("name", .text).primaryKey()
                table.column("display_name", .text)
                table.column("created_at_ms", .integer).notNull()
            }
            try db.create(table: "room_member") { table in
                table.column("room_name", .text).notNull().references("room", column: "name", onDelete: .cascade)
                table.column("user_name", .text).notNull().references("user", column: "name", onDelete: .cascade)
                table.column("joined_at_ms", .integer).notNull()
                table.primaryKey(["room_name", "user_name"])
            }
            try db.create(index: "room_member_user", on: "room_member", columns: ["user_name"])
            // Every room and private message, in one table: the id orders a conversation and is the paging
            // cursor. A conversation is "room:NAME" or "private:A|B" (the two users, sorted).
            try db.create(table: "chat_message") { table in
                table.autoIncrementedPrimaryKey("id")
                table.column("conversation", .text).notNull()
                table.column("sender", .text).notNull()
                table.column("sender_device", .text)
                table.column("content_type", .text).notNull()
                table.column("body", .text).notNull()
                table.column("created_at_ms", .integer).notNull()
            }
            try db.create(index: "chat_message_conversation", on: "chat_message", columns: ["conversation", "id"])
            // How far each user has read each conversation (unread = messages after it, not their own).
            try db.create(table: "read_marker") { table in
                table.column("user_name", .text).notNull().references("user", column: "name", onDelete: .cascade)
                table.column("conversation", .text).notNull()
                table.column("last_read_id", .integer).notNull()
                table.primaryKey(["user_name", "conversation"])
            }
            // The room list changes what Parley answers for sip:NAME@domain: the directory reloads on it.
            try bumpGenerationTriggers(on: "room", db)
        }
        migrator.registerMigration("v5-pending-deliveries") { db in
            // Private messages no device of their recipient has accepted yet (RFC 3428 store-and-forward):
            // delivered when the recipient registers, removed at the first 2xx.
            try db.create(table: "pending_delivery", options: [.withoutRowID]) { table in
                table.column("user_name", .text).notNull().references("user", column: "name", onDelete: .cascade)
                table.column("message_id", .integer).notNull()
                    .references("chat_message", column: "id", onDelete: .cascade)
                table.primaryKey(["user_name", "message_id"])
            }
            // Room membership is in the SIP runtime's directory too (room fan-out reads it from memory).
            try bumpGenerationTriggers(on: "room_member", db)
        }
        return migrator
    }

    /// Triggers that move the directory generation on every change to `table` (the same SQL each migration
    /// wrote: migrations already applied are unaffected).
    static func bumpGenerationTriggers(on table: String, _ db: Database) throws {
        for event in ["INSERT", "UPDATE", "DELETE"] {
            try db.execute(
                sql: """
                    CREATE TRIGGER \(table)_\(event.lowercased())_bumps_generation AFTER \(event) ON \(table)
                    BEGIN UPDATE directory_generation SET value = value + 1 WHERE id = 1; END;
                    """)
        }
    }
}
