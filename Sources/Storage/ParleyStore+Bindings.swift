import GRDB
import SIPCore
import SIPServices

/// The registrar's persistent bindings (UDP, TCP, TLS): written as they change, read at start.
extension ParleyStore {
    public func saveBindings(_ bindings: [Binding]) throws(StorageError) {
        try write { db in
            // One compiled statement for the whole batch (a burst of REGISTERs is thousands of rows).
            let statement = try db.cachedStatement(
                sql: """
                    INSERT OR REPLACE INTO binding (aor, contact, instance_id, reg_id, q, expires_at_ms, call_id,
                        cseq, transport, remote_host, remote_port, path, auth_username, user_agent)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
            for binding in bindings {
                try statement.execute(arguments: [
                    binding.aor.description, binding.contact.headerValue, binding.instanceID, binding.regID,
                    binding.q, binding.expiresAt.milliseconds, binding.callID.value, Int64(binding.cseq),
                    binding.source.transport.rawValue, binding.source.remote.host, Int(binding.source.remote.port),
                    binding.path.map(\.headerValue).joined(separator: "\n"), binding.authUsername,
                    binding.userAgent,
                ])
            }
        }
    }

    public func deleteBindings(_ bindings: [Binding]) throws(StorageError) {
        try write { db in
            let statement = try db.cachedStatement(sql: "DELETE FROM binding WHERE aor = ? AND contact = ?")
            for binding in bindings {
                try statement.execute(arguments: [binding.aor.description, binding.contact.headerValue])
            }
        }
    }

    /// Every stored binding of this domain. Their flows are gone: each carries the `restored` flow, and
    /// the proxy reaches it by its contact address. Rows that no longer parse are skipped.
    public func loadBindings(domain: String) throws(StorageError) -> [Binding] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM binding").compactMap { row -> Binding? in
                guard let aor = AOR(parsing: row["aor"]), aor.domain == domain.lowercased(),
                    let contact = NameAddress(text: row["contact"]),
                    let transport = SIPTransportKind(rawValue: row["transport"]),
                    let port = UInt16(exactly: row["remote_port"] as Int)
                else { return nil }
                let pathText: String = row["path"]
                let path = pathText.split(separator: "\n").compactMap { NameAddress(text: String($0)) }
                let source = SIPSource(
                    transport: transport, remote: SIPPeerAddress(host: row["remote_host"], port: port),
                    flow: .restored)
                return Binding(
                    aor: aor, contact: contact, instanceID: row["instance_id"], regID: row["reg_id"], q: row["q"],
                    expiresAt: UnixTime(milliseconds: row["expires_at_ms"]), callID: CallID(row["call_id"]),
                    cseq: UInt32(clamping: row["cseq"] as Int64), source: source, path: path,
                    authUsername: row["auth_username"], userAgent: row["user_agent"])
            }
        }
    }
}

extension NameAddress {
    init?(text: String) {
        var bytes = Array(text.utf8)
        let parsed = bytes.withUnsafeMutableBytes { raw in try? NameAddress(parsingHeaderValue: UnsafeRawBufferPointer(raw)) }
        guard let parsed else { return nil }
        self = parsed
    }
}
