import Foundation
import GRDB
import SIPCore
import SIPServices

/// Public identities and their private identities (RFC 3261 section 10: one address of record,
/// several credentials that may register for it).
extension ParleyStore {
    /// user = 1*( unreserved / user-unreserved ) kept to what is safe in a URI and a file name:
    /// letters, digits and `-._~`, 1 to 64 characters, starting with a letter or digit.
    public static func validateName(_ name: String) throws(StorageError) {
        guard !name.isEmpty, name.utf8.count <= 64 else {
            throw .invalidName(name, reason: "must be 1 to 64 characters")
        }
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~".utf8)
        guard name.utf8.allSatisfy(allowed.contains) else {
            throw .invalidName(name, reason: "use letters, digits and - . _ ~ only")
        }
        guard let first = name.unicodeScalars.first, first.properties.isAlphabetic || ("0"..."9").contains(first)
        else { throw .invalidName(name, reason: "must start with a letter or a digit") }
    }

    /// Creates the public identity `sip:NAME@domain` and its web account (auth username NAME, reserved), with
    /// the web password's hash (bcrypt, made by the caller: the store never sees the password).
    public func addUser(name: String, displayName: String?, passwordHash: String, domain: String) throws(StorageError) {
        try addUsers([(name, passwordHash, displayName)], domain: domain)
    }

    /// Replaces a user's web password hash; their web sessions end (they signed in with the old one).
    public func setPasswordHash(user: String, passwordHash: String) throws(StorageError) {
        try write { db in
            try db.execute(sql: "UPDATE user SET password_hash = ? WHERE name = ?", arguments: [passwordHash, user])
            guard db.changesCount > 0 else { throw StorageError.userNotFound(user) }
            try db.execute(sql: "DELETE FROM web_session WHERE user_name = ?", arguments: [user])
        }
    }

    /// What web sign-in needs to know about a user; nil when there is no such user.
    public func webAccount(name: String) throws(StorageError) -> WebAccountRecord? {
        try read { db in
            try Row.fetchOne(
                db, sql: "SELECT name, display_name, password_hash FROM user WHERE name = ?", arguments: [name]
            )
            .map {
                WebAccountRecord(name: $0["name"], displayName: $0["display_name"], passwordHash: $0["password_hash"])
            }
        }
    }

    /// The web account's private identity: it reserves the user's name as an auth username and carries no
    /// digest HA1 (its SIP requests authenticate with session keys).
    private static func webAccount(_ name: String, domain: String) -> PrivateIdentity {
        PrivateIdentity(
            authUsername: name, aor: AOR(user: name, domain: domain), kind: .webAccount, ha1MD5: "", ha1SHA256: "")
    }

    /// Adds many users, and device accounts for them, in one transaction (bulk provisioning): all or none.
    public func addUsers(
        _ users: [(name: String, passwordHash: String, displayName: String?)],
        devices: [(user: String, device: String, password: String)] = [], domain: String
    ) throws(StorageError) {
        for user in users { try Self.validateName(user.name) }
        for device in devices { try Self.validateName(device.device) }
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        try write { db in
            for user in users {
                if try Bool.fetchOne(db, sql: "SELECT 1 FROM user WHERE name = ?", arguments: [user.name]) == true {
                    throw StorageError.userExists(user.name)
                }
                try Self.ensureAuthUsernameFree(user.name, db)
                try Self.ensureNotARoom(user.name, db)
                try db.execute(
                    sql: "INSERT INTO user (name, display_name, created_at_ms, password_hash) VALUES (?, ?, ?, ?)",
                    arguments: [user.name, user.displayName, now, user.passwordHash])
                try Self.insert(Self.webAccount(user.name, domain: domain), userName: user.name, realm: domain, db)
            }
            for device in devices {
                try Self.ensureAuthUsernameFree(device.device, db)
                let identity = PrivateIdentity.make(
                    authUsername: device.device, aor: AOR(user: device.user, domain: domain), kind: .device,
                    password: device.password, realm: domain)
                try Self.insert(identity, userName: device.user, realm: domain, db)
            }
        }
    }

    /// Adds a SIP device account (its own auth username and password) to an existing user.
    public func addDevice(user: String, device: String, password: String, domain: String) throws(StorageError) {
        try Self.validateName(device)
        let identity = PrivateIdentity.make(
            authUsername: device, aor: AOR(user: user, domain: domain), kind: .device, password: password,
            realm: domain)
        try write { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM user WHERE name = ?", arguments: [user]) == true else {
                throw StorageError.userNotFound(user)
            }
            try Self.ensureAuthUsernameFree(device, db)
            try Self.insert(identity, userName: user, realm: domain, db)
        }
    }

    /// Removes a user with all its private identities and bindings.
    public func removeUser(name: String, domain: String) throws(StorageError) {
        let aor = AOR(user: name, domain: domain).description
        try write { db in
            try db.execute(sql: "DELETE FROM user WHERE name = ?", arguments: [name])
            guard db.changesCount > 0 else { throw StorageError.userNotFound(name) }
            try db.execute(sql: "DELETE FROM binding WHERE aor = ?", arguments: [aor])
        }
    }

    public func listUsers() throws(StorageError) -> [UserSummary] {
        try read { db in
            let users = try Row.fetchAll(db, sql: "SELECT name, display_name FROM user ORDER BY name")
            let devices = try Row.fetchAll(
                db,
                sql: "SELECT user_name, auth_username FROM private_identity WHERE kind = ? ORDER BY auth_username",
                arguments: [PrivateIdentity.Kind.device.storageValue])
            var devicesByUser: [String: [String]] = [:]
            for row in devices {
                devicesByUser[row["user_name"], default: []].append(row["auth_username"])
            }
            return users.map { row in
                let name: String = row["name"]
                return UserSummary(name: name, displayName: row["display_name"], devices: devicesByUser[name] ?? [])
            }
        }
    }

    /// Changes whenever users or identities change (kept by triggers).
    public func directoryGeneration() throws(StorageError) -> Int64 {
        try read { db in try Int64.fetchOne(db, sql: "SELECT value FROM directory_generation WHERE id = 1") ?? 0 }
    }

    /// Every device identity of the domain (web accounts sign in over HTTPS instead), and every user name:
    /// the server's in-memory directory.
    public func loadDirectory(domain: String) throws(StorageError) -> (identities: [PrivateIdentity], users: [String]) {
        try read { db in
            let users = try String.fetchAll(db, sql: "SELECT name FROM user")
            let identities = try Row.fetchAll(
                db,
                sql: """
                    SELECT auth_username, user_name, kind, ha1_md5, ha1_sha256 FROM private_identity
                    WHERE realm = ? AND kind = ?
                    """,
                arguments: [domain, PrivateIdentity.Kind.device.storageValue]
            ).compactMap { row -> PrivateIdentity? in
                guard let kind = PrivateIdentity.Kind(storageValue: row["kind"]) else { return nil }
                return PrivateIdentity(
                    authUsername: row["auth_username"], aor: AOR(user: row["user_name"], domain: domain), kind: kind,
                    ha1MD5: row["ha1_md5"], ha1SHA256: row["ha1_sha256"])
            }
            return (identities, users)
        }
    }

    /// Users and rooms share `sip:NAME@domain`.
    static func ensureNotARoom(_ name: String, _ db: Database) throws {
        if try Bool.fetchOne(db, sql: "SELECT 1 FROM room WHERE name = ?", arguments: [name]) == true {
            throw StorageError.nameTaken(name)
        }
    }

    private static func ensureAuthUsernameFree(_ authUsername: String, _ db: Database) throws {
        let taken = try Bool.fetchOne(
            db, sql: "SELECT 1 FROM private_identity WHERE auth_username = ?", arguments: [authUsername])
        if taken == true { throw StorageError.authUsernameTaken(authUsername) }
    }

    private static func insert(_ identity: PrivateIdentity, userName: String, realm: String, _ db: Database) throws {
        try db.execute(
            sql: """
                INSERT INTO private_identity (auth_username, user_name, kind, realm, ha1_md5, ha1_sha256)
                VALUES (?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                identity.authUsername, userName, identity.kind.storageValue, realm, identity.ha1MD5,
                identity.ha1SHA256,
            ])
    }
}

extension PrivateIdentity.Kind {
    var storageValue: String {
        switch self {
        case .webAccount: return "web"
        case .device: return "device"
        }
    }

    init?(storageValue: String) {
        switch storageValue {
        case "web": self = .webAccount
        case "device": self = .device
        default: return nil
        }
    }
}
