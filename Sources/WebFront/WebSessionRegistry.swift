import NIOConcurrencyHelpers
import SIPCore
import SIPServices
import Storage

/// The signed-in browsers: their sessions (persisted, so a restart signs nobody out), and the SIP
/// WebSockets each session opened. A session is bound to the client address and User-Agent it signed in
/// from, and its SIP key works only on its own WebSockets (DESIGN.md "Who may connect").
///
/// Sign-in and sign-out run in HTTP request tasks, digest lookups on the SIP event loop: the state sits
/// behind one lock, held for dictionary work only (store writes happen outside it).
public final class WebSessionRegistry: Sendable {
    private struct State {
        var sessions: [String: WebSessionRecord] = [:]
        var sessionByCookieHash: [String: String] = [:]
        var flowsBySession: [String: Set<FlowID>] = [:]
        var sessionByFlow: [FlowID: String] = [:]
    }

    public let settings: WebSessionSettings
    private let store: ParleyStore
    private let domain: String
    private let state = NIOLockedValueBox(State())

    /// Loads the sessions still valid at `now` and forgets the expired ones.
    public init(store: ParleyStore, domain: String, settings: WebSessionSettings, now: UnixTime) throws(StorageError) {
        self.store = store
        self.domain = domain
        self.settings = settings
        try store.deleteExpiredWebSessions(nowMs: now.milliseconds)
        let records = try store.loadWebSessions(nowMs: now.milliseconds)
        state.withLockedValue { state in
            for record in records {
                state.sessions[record.id] = record
                state.sessionByCookieHash[record.cookieHash] = record.id
            }
        }
    }

    // MARK: Sign-in, key rotation, sign-out

    /// Opens a session for a user who proved their password. A user's oldest sessions end beyond
    /// `maxSessionsPerUser`; their WebSockets are in the result's `endedFlows`, to close.
    public func open(
        user: String, clientHost: String, userAgent: String, now: UnixTime
    ) throws(StorageError)
        -> IssuedWebSession
    {
        let userAgent = Self.bounded(userAgent)
        let id = SecureToken.make(byteCount: 16)
        let cookie = SecureToken.make()
        let credentials = makeCredentials(user: user, sessionID: id)
        let ha1 = digests(of: credentials)
        let record = WebSessionRecord(
            id: id, userName: user, cookieHash: SecureToken.digest(cookie), ha1MD5: ha1.md5, ha1SHA256: ha1.sha256,
            clientHost: clientHost, userAgent: userAgent, createdAtMs: now.milliseconds,
            expiresAtMs: now.milliseconds + settings.lifetimeSeconds * 1000)
        try store.insertWebSession(record)
        let oldest = state.withLockedValue { state -> [String] in
            state.sessions[id] = record
            state.sessionByCookieHash[record.cookieHash] = id
            let sessions = state.sessions.values.filter { $0.userName == user }.sorted {
                $0.createdAtMs < $1.createdAtMs
            }
            return sessions.prefix(max(0, sessions.count - settings.maxSessionsPerUser)).map(\.id)
        }
        var endedFlows: [FlowID] = []
        for sessionID in oldest { endedFlows += try revoke(sessionID: sessionID) }
        return IssuedWebSession(record: record, cookie: cookie, credentials: credentials, endedFlows: endedFlows)
    }

    /// The session a cookie belongs to, if it is valid from this client: same address, same User-Agent,
    /// not expired.
    public func session(cookie: String, clientHost: String, userAgent: String, now: UnixTime) -> WebSessionRecord? {
        let hash = SecureToken.digest(cookie)
        let userAgent = Self.bounded(userAgent)
        return state.withLockedValue { state -> WebSessionRecord? in
            guard let id = state.sessionByCookieHash[hash], let record = state.sessions[id] else { return nil }
            guard record.expiresAtMs > now.milliseconds, record.clientHost == clientHost,
                record.userAgent == userAgent
            else { return nil }
            return record
        }
    }

    /// The session a cookie belongs to, from wherever it comes: holding the cookie is enough to end it.
    public func sessionID(cookie: String) -> String? {
        let hash = SecureToken.digest(cookie)
        return state.withLockedValue { $0.sessionByCookieHash[hash] }
    }

    /// Issues a new SIP key for a session (a reloaded page lost the old one); the old key stops working.
    public func rotateKey(sessionID: String) throws(StorageError) -> WebSIPCredentials? {
        guard let user = state.withLockedValue({ $0.sessions[sessionID]?.userName }) else { return nil }
        let credentials = makeCredentials(user: user, sessionID: sessionID)
        let ha1 = digests(of: credentials)
        guard try store.updateWebSessionKey(id: sessionID, ha1MD5: ha1.md5, ha1SHA256: ha1.sha256) else { return nil }
        return state.withLockedValue { state -> WebSIPCredentials? in
            guard state.sessions[sessionID] != nil else { return nil }
            state.sessions[sessionID]!.ha1MD5 = ha1.md5
            state.sessions[sessionID]!.ha1SHA256 = ha1.sha256
            return credentials
        }
    }

    /// Ends a session (sign-out): the key stops working at once; returns the WebSockets to close.
    public func revoke(sessionID: String) throws(StorageError) -> [FlowID] {
        try store.deleteWebSession(id: sessionID)
        return state.withLockedValue { state in Self.forget(sessionID, in: &state) }
    }

    /// Ends the sessions that expired by `now`; returns their WebSockets, to close.
    public func expire(now: UnixTime) throws(StorageError) -> [FlowID] {
        try store.deleteExpiredWebSessions(nowMs: now.milliseconds)
        return state.withLockedValue { state in
            let expired = state.sessions.values.filter { $0.expiresAtMs <= now.milliseconds }.map(\.id)
            return expired.flatMap { Self.forget($0, in: &state) }
        }
    }

    /// Ends the sessions the store no longer has: `parley user remove` and `parley user password` delete
    /// them from another process. Returns their WebSockets, to close.
    public func reconcile(now: UnixTime) throws(StorageError) -> [FlowID] {
        let stored = Set(try store.loadWebSessions(nowMs: now.milliseconds).map(\.id))
        return state.withLockedValue { state in
            let gone = state.sessions.keys.filter { !stored.contains($0) }
            return gone.flatMap { Self.forget($0, in: &state) }
        }
    }

    /// User-Agent strings are kept to their first 256 characters (enough to tell browsers apart).
    private static func bounded(_ userAgent: String) -> String {
        String(userAgent.prefix(256))
    }

    private static func forget(_ sessionID: String, in state: inout State) -> [FlowID] {
        if let record = state.sessions.removeValue(forKey: sessionID) {
            state.sessionByCookieHash[record.cookieHash] = nil
        }
        let flows = state.flowsBySession.removeValue(forKey: sessionID) ?? []
        for flow in flows { state.sessionByFlow[flow] = nil }
        return flows.sorted()
    }

    // MARK: WebSockets

    /// Ties a SIP WebSocket to the session whose cookie came with its upgrade.
    public func attach(flow: FlowID, sessionID: String) {
        state.withLockedValue { state in
            guard state.sessions[sessionID] != nil else { return }
            state.sessionByFlow[flow] = sessionID
            state.flowsBySession[sessionID, default: []].insert(flow)
        }
    }

    public func detach(flow: FlowID) {
        state.withLockedValue { state in
            guard let id = state.sessionByFlow.removeValue(forKey: flow) else { return }
            state.flowsBySession[id]?.remove(flow)
        }
    }

    public var sessionCount: Int { state.withLockedValue { $0.sessions.count } }

    // MARK: Digest

    /// The private identity for a session's SIP credentials, found only on that session's own WebSockets
    /// and only while the session lasts.
    public func identity(authUsername: String, arrivingOn flow: FlowID, now: UnixTime) -> PrivateIdentity? {
        guard let id = WebSIPCredentials.sessionID(inAuthUsername: authUsername) else { return nil }
        return state.withLockedValue { state -> PrivateIdentity? in
            guard let record = state.sessions[String(id)], state.sessionByFlow[flow] == record.id,
                record.expiresAtMs > now.milliseconds,
                authUsername == WebSIPCredentials.authUsername(user: record.userName, sessionID: record.id)
            else { return nil }
            return PrivateIdentity(
                authUsername: authUsername, aor: AOR(user: record.userName, domain: domain), kind: .webAccount,
                ha1MD5: record.ha1MD5, ha1SHA256: record.ha1SHA256)
        }
    }

    private func makeCredentials(user: String, sessionID: String) -> WebSIPCredentials {
        WebSIPCredentials(
            authUsername: WebSIPCredentials.authUsername(user: user, sessionID: sessionID), password: SecureToken.make()
        )
    }

    /// HA1 = H(username ":" realm ":" key) for both offered algorithms (RFC 7616 section 3.4.2); the realm is
    /// the domain, as for every digest challenge Parley sends.
    private func digests(of credentials: WebSIPCredentials) -> (md5: String, sha256: String) {
        (
            DigestComputation.ha1(
                algorithm: .md5, username: credentials.authUsername, realm: domain, password: credentials.password),
            DigestComputation.ha1(
                algorithm: .sha256, username: credentials.authUsername, realm: domain, password: credentials.password)
        )
    }
}
