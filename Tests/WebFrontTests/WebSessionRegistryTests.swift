import Foundation
import SIPCore
import SIPServices
import Storage
import Testing

@testable import WebFront

/// Web sessions on a fixed clock: binding to the client, expiry, key rotation, revocation, persistence, and
/// the SIP identity a session's key proves only on its own WebSockets.
@Suite("Web sessions")
struct WebSessionRegistryTests {
    static let start = UnixTime(seconds: 1_800_000_000)

    static func store() throws -> (ParleyStore, String) {
        let directory = NSTemporaryDirectory() + "parley-sessions-" + UUID().uuidString
        let store = try ParleyStore(dataDirectory: directory)
        try store.addUser(
            name: "alice", displayName: "Alice", passwordHash: WebPassword(cost: 4).hash("pw"), domain: "localhost")
        return (store, directory)
    }

    static func registry(
        _ store: ParleyStore, lifetime: Int64 = 3600, maxSessionsPerUser: Int = 20, now: UnixTime = start
    ) throws -> WebSessionRegistry {
        try WebSessionRegistry(
            store: store, domain: "localhost",
            settings: WebSessionSettings(lifetimeSeconds: lifetime, maxSessionsPerUser: maxSessionsPerUser), now: now)
    }

    @Test func aCookieIsValidOnlyFromItsClientAndUntilItExpires() throws {
        let (store, directory) = try Self.store()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let registry = try Self.registry(store)
        let issued = try registry.open(user: "alice", clientHost: "127.0.0.1", userAgent: "Chrome", now: Self.start)
        let later = UnixTime(seconds: Self.start.seconds + 60)
        #expect(
            registry.session(cookie: issued.cookie, clientHost: "127.0.0.1", userAgent: "Chrome", now: later)?.id
                == issued.record.id)
        #expect(
            registry.session(cookie: issued.cookie, clientHost: "127.0.0.2", userAgent: "Chrome", now: later) == nil)
        #expect(
            registry.session(cookie: issued.cookie, clientHost: "127.0.0.1", userAgent: "Firefox", now: later) == nil)
        #expect(
            registry.session(cookie: issued.cookie + "x", clientHost: "127.0.0.1", userAgent: "Chrome", now: later)
                == nil)
        let expired = UnixTime(seconds: Self.start.seconds + 3600)
        #expect(
            registry.session(cookie: issued.cookie, clientHost: "127.0.0.1", userAgent: "Chrome", now: expired) == nil)
    }

    @Test func theKeyProvesTheUserOnlyOnTheSessionsOwnFlows() throws {
        let (store, directory) = try Self.store()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let registry = try Self.registry(store)
        let issued = try registry.open(user: "alice", clientHost: "127.0.0.1", userAgent: "Chrome", now: Self.start)
        let username = issued.credentials.authUsername
        #expect(registry.identity(authUsername: username, arrivingOn: FlowID(7), now: Self.start) == nil)
        registry.attach(flow: FlowID(7), sessionID: issued.record.id)
        let identity = try #require(registry.identity(authUsername: username, arrivingOn: FlowID(7), now: Self.start))
        #expect(identity.aor == AOR(user: "alice", domain: "localhost"))
        #expect(identity.kind == .webAccount)
        #expect(
            identity.ha1SHA256
                == DigestComputation.ha1(
                    algorithm: .sha256, username: username, realm: "localhost", password: issued.credentials.password))
        #expect(registry.identity(authUsername: username, arrivingOn: FlowID(8), now: Self.start) == nil)
        // Another user's name in front of this session's id proves nothing.
        let forged = "bob#" + issued.record.id
        #expect(registry.identity(authUsername: forged, arrivingOn: FlowID(7), now: Self.start) == nil)
        registry.detach(flow: FlowID(7))
        #expect(registry.identity(authUsername: username, arrivingOn: FlowID(7), now: Self.start) == nil)
    }

    @Test func revokingReturnsTheFlowsToCloseAndForgetsTheSession() throws {
        let (store, directory) = try Self.store()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let registry = try Self.registry(store)
        let issued = try registry.open(user: "alice", clientHost: "127.0.0.1", userAgent: "Chrome", now: Self.start)
        registry.attach(flow: FlowID(3), sessionID: issued.record.id)
        registry.attach(flow: FlowID(4), sessionID: issued.record.id)
        #expect(try registry.revoke(sessionID: issued.record.id) == [FlowID(3), FlowID(4)])
        #expect(
            registry.session(cookie: issued.cookie, clientHost: "127.0.0.1", userAgent: "Chrome", now: Self.start)
                == nil)
        #expect(
            registry.identity(authUsername: issued.credentials.authUsername, arrivingOn: FlowID(3), now: Self.start)
                == nil)
        // Gone from the store too: a restart does not bring it back.
        #expect(try Self.registry(store).sessionCount == 0)
    }

    @Test func sessionsSurviveARestartAndExpireOnSchedule() throws {
        let (store, directory) = try Self.store()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let issued = try Self.registry(store).open(
            user: "alice", clientHost: "::1", userAgent: "Chrome", now: Self.start)
        let restarted = try Self.registry(store, now: UnixTime(seconds: Self.start.seconds + 10))
        #expect(
            restarted.session(cookie: issued.cookie, clientHost: "::1", userAgent: "Chrome", now: Self.start) != nil)
        restarted.attach(flow: FlowID(9), sessionID: issued.record.id)
        #expect(try restarted.expire(now: UnixTime(seconds: Self.start.seconds + 100)).isEmpty)
        #expect(try restarted.expire(now: UnixTime(seconds: Self.start.seconds + 3600)) == [FlowID(9)])
        #expect(restarted.sessionCount == 0)
    }

    @Test func aRotatedKeyReplacesTheOldOne() throws {
        let (store, directory) = try Self.store()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let registry = try Self.registry(store)
        let issued = try registry.open(user: "alice", clientHost: "127.0.0.1", userAgent: "Chrome", now: Self.start)
        registry.attach(flow: FlowID(1), sessionID: issued.record.id)
        let rotated = try #require(try registry.rotateKey(sessionID: issued.record.id))
        #expect(rotated.authUsername == issued.credentials.authUsername)
        #expect(rotated.password != issued.credentials.password)
        let identity = try #require(
            registry.identity(authUsername: rotated.authUsername, arrivingOn: FlowID(1), now: Self.start))
        #expect(
            identity.ha1MD5
                == DigestComputation.ha1(
                    algorithm: .md5, username: rotated.authUsername, realm: "localhost", password: rotated.password))
        #expect(try registry.rotateKey(sessionID: "no-such-session") == nil)
    }

    @Test func removingTheUserEndsTheirSessions() throws {
        let (store, directory) = try Self.store()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        _ = try Self.registry(store).open(user: "alice", clientHost: "127.0.0.1", userAgent: "Chrome", now: Self.start)
        try store.removeUser(name: "alice", domain: "localhost")
        #expect(try Self.registry(store).sessionCount == 0)
    }

    @Test func sessionsDeletedByAnotherProcessEndOnReconcile() throws {
        let (store, directory) = try Self.store()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let registry = try Self.registry(store)
        let issued = try registry.open(user: "alice", clientHost: "127.0.0.1", userAgent: "Chrome", now: Self.start)
        registry.attach(flow: FlowID(11), sessionID: issued.record.id)
        #expect(try registry.reconcile(now: Self.start).isEmpty)
        // `parley user password` in another process: the store drops the user's sessions.
        try store.setPasswordHash(user: "alice", passwordHash: WebPassword(cost: 4).hash("new"))
        #expect(try registry.reconcile(now: Self.start) == [FlowID(11)])
        #expect(
            registry.identity(authUsername: issued.credentials.authUsername, arrivingOn: FlowID(11), now: Self.start)
                == nil)
    }

    @Test func aUsersOldestSessionsEndBeyondTheLimit() throws {
        let (store, directory) = try Self.store()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let registry = try Self.registry(store, maxSessionsPerUser: 2)
        let first = try registry.open(user: "alice", clientHost: "127.0.0.1", userAgent: "A", now: Self.start)
        registry.attach(flow: FlowID(1), sessionID: first.record.id)
        let second = try registry.open(
            user: "alice", clientHost: "127.0.0.1", userAgent: "B", now: UnixTime(seconds: Self.start.seconds + 1))
        #expect(second.endedFlows.isEmpty)
        let third = try registry.open(
            user: "alice", clientHost: "127.0.0.1", userAgent: "C", now: UnixTime(seconds: Self.start.seconds + 2))
        #expect(third.endedFlows == [FlowID(1)])
        #expect(registry.sessionCount == 2)
        #expect(registry.session(cookie: first.cookie, clientHost: "127.0.0.1", userAgent: "A", now: Self.start) == nil)
    }

    @Test func longUserAgentsAreKeptShortAndStillMatch() throws {
        let (store, directory) = try Self.store()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let registry = try Self.registry(store)
        let agent = String(repeating: "x", count: 100_000)
        let issued = try registry.open(user: "alice", clientHost: "127.0.0.1", userAgent: agent, now: Self.start)
        #expect(issued.record.userAgent.count == 256)
        #expect(
            registry.session(cookie: issued.cookie, clientHost: "127.0.0.1", userAgent: agent, now: Self.start) != nil)
        #expect(registry.sessionID(cookie: issued.cookie) == issued.record.id)
    }
}
