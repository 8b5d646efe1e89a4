import GRDB

/// Web sessions, kept so that a server restart does not sign everyone out.
extension ParleyStore {
    public func insertWebSession(_ session: WebSessionRecord) throws(StorageError) {
        try write { db in
            try db.execute(
                sql: """
                    INSERT INTO web_session (id, user_name, cookie_hash, ha1_md5, ha1_sha256, client_host, user_agent,
                        created_at_ms, expires_at_ms)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    session.id, session.userName, session.cookieHash, session.ha1MD5, session.ha1SHA256,
                    session.clientHost, session.userAgent, session.createdAtMs, session.expiresAtMs,
                ])
        }
    }

    /// Replaces a session's SIP key (its HA1s); false when the session is gone.
    @discardableResult
    public func updateWebSessionKey(id: String, ha1MD5: String, ha1SHA256: String) throws(StorageError) -> Bool {
        try write { db in
            try db.execute(
                sql: "UPDATE web_session SET ha1_md5 = ?, ha1_sha256 = ? WHERE id = ?",
                arguments: [ha1MD5, ha1SHA256, id])
            return db.changesCount > 0
        }
    }

    public func deleteWebSession(id: String) throws(StorageError) {
        try write { db in try db.execute(sql: "DELETE FROM web_session WHERE id = ?", arguments: [id]) }
    }

    /// Deletes the sessions that expired by `nowMs`; returns how many.
    @discardableResult
    public func deleteExpiredWebSessions(nowMs: Int64) throws(StorageError) -> Int {
        try write { db in
            try db.execute(sql: "DELETE FROM web_session WHERE expires_at_ms <= ?", arguments: [nowMs])
            return db.changesCount
        }
    }

    /// The sessions still valid at `nowMs`.
    public func loadWebSessions(nowMs: Int64) throws(StorageError) -> [WebSessionRecord] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM web_session WHERE expires_at_ms > ?", arguments: [nowMs]).map {
                row in
                WebSessionRecord(
                    id: row["id"], userName: row["user_name"], cookieHash: row["cookie_hash"], ha1MD5: row["ha1_md5"],
                    ha1SHA256: row["ha1_sha256"], clientHost: row["client_host"], userAgent: row["user_agent"],
                    createdAtMs: row["created_at_ms"], expiresAtMs: row["expires_at_ms"])
            }
        }
    }
}
