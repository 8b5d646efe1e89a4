import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import NIOSSL
import SIPCore
import SIPTestKit
import Storage
import Testing

/// The HTTPS front: sign-in with the web password, the session cookie, SIP over `/sip` with the session's
/// key, sign-out, and the refusals (DESIGN.md "Who may connect").
@Suite("Web front", .serialized)
struct WebFrontTests {
    /// A signed-in browser as the tests see it.
    struct SignedIn {
        var cookie: String
        var authUsername: String
        var password: String

        /// REGISTERs alice on `agent` with this session's credentials (or another key).
        func register(on agent: SIPTestAgent, password: String? = nil) async throws -> SIPResponse {
            try await agent.register(
                aor: "sip:alice@localhost", username: authUsername, password: password ?? self.password)
        }
    }

    static func client(_ server: ParleyTestServer) -> TestClient {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.certificateVerification = .none
        let address = server.address(.wss)
        return TestClient(
            host: address.host, port: Int(address.port),
            configuration: .init(tlsConfiguration: tls, serverName: "localhost"))
    }

    /// A fresh server and an HTTPS client to it, both stopped after `body`.
    static func withWebFront(
        dataDirectory: String? = nil, _ body: (ParleyTestServer, TestClient) async throws -> Void
    ) async throws {
        let server = try await ParleyTestServer.start(dataDirectory: dataDirectory)
        let client = client(server)
        client.connect()
        do {
            try await body(server, client)
        } catch {
            try? await client.shutdown()
            await server.stop()
            throw error
        }
        try? await client.shutdown()
        await server.stop()
    }

    static func json(_ response: TestClient.Response) throws -> [String: Any] {
        let body = response.body.map { String(buffer: $0) } ?? ""
        return try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any], "body: \(body)")
    }

    static func signIn(
        _ client: TestClient, user: String = "alice", password: String = "alice-secret"
    ) async throws
        -> TestClient.Response
    {
        try await client.post(
            "/api/session", headers: [.contentType: "application/json"],
            body: ByteBuffer(string: #"{"user": "\#(user)", "password": "\#(password)"}"#))
    }

    static func signedIn(_ client: TestClient) async throws -> SignedIn {
        let response = try await signIn(client)
        #expect(response.status == .ok)
        let setCookie = try #require(response.headers[.setCookie])
        let cookie = try #require(setCookie.split(separator: ";").first.map(String.init))
        let body = try json(response)
        let sip = try #require(body["sip"] as? [String: Any])
        return SignedIn(
            cookie: cookie, authUsername: try #require(sip["authUsername"] as? String),
            password: try #require(sip["password"] as? String))
    }

    /// A WebSocket opened by the signed-in page: the cookie rides on the upgrade.
    static func pageSocket(_ server: ParleyTestServer, cookie: String?) async throws -> SIPTestAgent {
        try await SIPTestAgent.webSocket(
            server: server.address(.wss), tls: true, group: ParleyTestServer.group,
            headers: cookie.map { [("Cookie", $0)] } ?? [])
    }

    @Test func signInSetsAStrictHttpOnlyCookieAndIssuesASIPKey() async throws {
        try await Self.withWebFront { server, client in
            let response = try await Self.signIn(client)
            #expect(response.status == .ok)
            let setCookie = try #require(response.headers[.setCookie])
            for attribute in ["HttpOnly", "Secure", "SameSite=Strict", "Path=/"] {
                #expect(setCookie.contains(attribute), "Set-Cookie: \(setCookie)")
            }
            let body = try Self.json(response)
            #expect(body["aor"] as? String == "sip:alice@localhost")
            let sip = try #require(body["sip"] as? [String: Any])
            #expect((sip["authUsername"] as? String)?.hasPrefix("alice#") == true)
            #expect((sip["password"] as? String)?.count ?? 0 >= 40)
            #expect(sip["realm"] as? String == "localhost")

            let cookie = try #require(setCookie.split(separator: ";").first.map(String.init))
            let current = try await client.get("/api/session", headers: [.cookie: cookie])
            #expect(current.status == .ok)
            #expect(try Self.json(current)["user"] as? String == "alice")
            #expect(try Self.json(current)["sip"] == nil, "the key is handed out only once")
            let anonymous = try await client.get("/api/session")
            #expect(anonymous.status == .unauthorized)
            // The session is bound to the User-Agent it signed in with.
            let otherAgent = try await client.get("/api/session", headers: [.cookie: cookie, .userAgent: "curl/8"])
            #expect(otherAgent.status == .unauthorized)
        }
    }

    @Test func wrongPasswordAndUnknownUserGetTheSameAnswer() async throws {
        try await Self.withWebFront { server, client in
            let wrong = try await Self.signIn(client, password: "guess")
            let unknown = try await Self.signIn(client, user: "mallory", password: "guess")
            #expect(wrong.status == .unauthorized)
            #expect(unknown.status == .unauthorized)
            #expect(wrong.body == unknown.body)
            #expect(wrong.headers[.setCookie] == nil)
            let notJSON = try await client.post(
                "/api/session", headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "user=alice&password=alice-secret"))
            #expect(notJSON.status == .unsupportedMediaType, "a cross-site form cannot sign in")
        }
    }

    @Test func signInFailuresAreRateLimited() async throws {
        try await Self.withWebFront { server, client in
            for _ in 0..<10 {
                #expect(try await Self.signIn(client, password: "guess").status == .unauthorized)
            }
            let banned = try await Self.signIn(client)
            #expect(banned.status == .tooManyRequests, "even the right password waits out the ban")
            #expect(Int(banned.headers[.retryAfter] ?? "") ?? 0 > 0)
        }
    }

    @Test func theSessionKeyRegistersOnlyOnItsOwnWebSocket() async throws {
        try await Self.withWebFront { server, client in
            let session = try await Self.signedIn(client)

            let page = try await Self.pageSocket(server, cookie: session.cookie)
            let registered = try await session.register(on: page)
            #expect(registered.status == .ok)

            // The same key on a socket without the cookie, or over UDP, never registers.
            let stranger = try await Self.pageSocket(server, cookie: nil)
            let stolen = try await session.register(on: stranger)
            #expect(stolen.status == .unauthorized)
            let udp = try await server.agent(.udp)
            let overUDP = try await session.register(on: udp)
            #expect(overUDP.status == .unauthorized)
            // The web password is for HTTPS sign-in only: as SIP digest it is refused like any wrong password.
            let webPassword = try await stranger.register(
                aor: "sip:alice@localhost", username: "alice", password: "alice-secret")
            #expect(webPassword.status == .unauthorized)
            for agent in [page, stranger, udp] { await agent.close() }
        }
    }

    @Test func aRotatedKeyReplacesTheOldOne() async throws {
        try await Self.withWebFront { server, client in
            let session = try await Self.signedIn(client)
            let rotated = try await client.post(
                "/api/session/key", headers: [.cookie: session.cookie, .contentType: "application/json"],
                body: ByteBuffer(string: "{}"))
            #expect(rotated.status == .ok)
            let sip = try #require(try Self.json(rotated)["sip"] as? [String: Any])
            let newPassword = try #require(sip["password"] as? String)
            #expect(newPassword != session.password)

            let page = try await Self.pageSocket(server, cookie: session.cookie)
            let old = try await session.register(on: page)
            #expect(old.status == .unauthorized)
            let new = try await session.register(on: page, password: newPassword)
            #expect(new.status == .ok)
            await page.close()
        }
    }

    @Test func signOutRevokesTheKeyAndClosesTheSessionsWebSockets() async throws {
        try await Self.withWebFront { server, client in
            let session = try await Self.signedIn(client)
            let page = try await Self.pageSocket(server, cookie: session.cookie)
            let registered = try await session.register(on: page)
            #expect(registered.status == .ok)

            let signOut = try await client.delete(
                "/api/session", headers: [.cookie: session.cookie], body: ByteBuffer())
            #expect(signOut.status == .noContent)
            #expect(signOut.headers[.setCookie]?.contains("Max-Age=0") == true)
            #expect(try await client.get("/api/session", headers: [.cookie: session.cookie]).status == .unauthorized)

            // The page's WebSocket is closed, so its binding is gone: a relayed message to alice finds nobody
            // (a text would be stored for later, 202, either way).
            let device = try await server.registered(.udp, user: "bob", account: "bob-desk")
            var status = 0
            for _ in 0..<20 {
                let answer = try await device.sendAuthenticated(
                    .message, uri: "sip:alice@localhost", from: "sip:bob@localhost", to: "sip:alice@localhost",
                    username: "bob-desk", password: "desk-secret", body: MessageRelayTests.isComposing,
                    contentType: "application/im-iscomposing+xml")
                status = Int(answer.status.code)
                if status == 480 { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(status == 480)
            // A new socket with the revoked cookie and key cannot register.
            let again = try await Self.pageSocket(server, cookie: session.cookie)
            let revoked = try await session.register(on: again)
            #expect(revoked.status == .unauthorized)
            for agent in [page, again, device] { await agent.close() }
        }
    }

    @Test func theWebClientIsServedWithASameOriginPolicy() async throws {
        try await Self.withWebFront { server, client in
            let page = try await client.get("/")
            #expect(page.status == .ok)
            #expect(page.headers[.contentType]?.hasPrefix("text/html") == true)
            let policy = try #require(page.headers[.contentSecurityPolicy])
            #expect(policy.contains("default-src 'self'"))
            #expect(policy.contains("frame-ancestors 'none'"))
            #expect(page.headers[.xContentTypeOptions] == "nosniff")
            let plainGet = try await client.get("/sip")
            #expect(plainGet.status == .upgradeRequired)
            let missing = try await client.get("/no-such-file.js")
            #expect(missing.status == .notFound)
        }
    }

    @Test func byDefaultOnlyThePagesOwnOriginMayOpenTheWebSocket() async throws {
        let server = try await ParleyTestServer.start()
        defer { Task { await server.stop() } }
        let address = server.address(.wss)
        // The test agent's Host is the address it dials: its own origin is https://127.0.0.1:<port>.
        let own = try await SIPTestAgent.webSocket(
            server: address, tls: true, group: ParleyTestServer.group, origin: "https://\(address.host):\(address.port)"
        )
        await own.close()
        await #expect(throws: SIPTestAgentError.self) {
            _ = try await SIPTestAgent.webSocket(
                server: address, tls: true, group: ParleyTestServer.group, origin: "https://evil.example")
        }
    }

    @Test func signOutWorksFromAnywhereWithTheCookie() async throws {
        try await Self.withWebFront { server, client in
            let session = try await Self.signedIn(client)
            // The user moved (another User-Agent string stands in for another address): the cookie still ends it.
            let signOut = try await client.delete(
                "/api/session", headers: [.cookie: session.cookie, .userAgent: "moved"], body: ByteBuffer())
            #expect(signOut.status == .noContent)
            let page = try await Self.pageSocket(server, cookie: session.cookie)
            let revoked = try await session.register(on: page)
            #expect(revoked.status == .unauthorized)
            await page.close()
        }
    }

    @Test func removingTheUserEndsTheirSessionsOnTheRunningServer() async throws {
        try await Self.withWebFront { server, client in
            let session = try await Self.signedIn(client)
            // `parley user password` in another process.
            let store = try ParleyStore(dataDirectory: server.dataDirectory)
            try store.setPasswordHash(user: "alice", passwordHash: ParleyTestServer.webPassword.hash("new secret"))
            var status = HTTPResponse.Status.ok
            for _ in 0..<40 where status == .ok {
                try await Task.sleep(for: .milliseconds(100))
                status = try await client.get("/api/session", headers: [.cookie: session.cookie]).status
            }
            #expect(status == .unauthorized)
            #expect(try await Self.signIn(client, password: "new secret").status == .ok)
        }
    }

    @Test func onlyTheClientsOwnFilesAreServed() async throws {
        try await Self.withWebFront { server, client in
            for shown in ["/js/app/main.js", "/css/parley.css"] {
                let status = try await client.get(shown).status
                #expect(status == .ok, "\(shown)")
            }
            for hidden in ["/README.md", "/package.json", "/tests/sip/fakes.js"] {
                let status = try await client.get(hidden).status
                #expect(status == .notFound, "\(hidden)")
            }
        }
    }
}
