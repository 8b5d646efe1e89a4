import Foundation
import HTTPTypes
import Hummingbird
import Logging
import SIPServices
import Storage

/// The JSON API under `/api`: sign-in, the current session, key rotation and sign-out.
///
/// The session cookie is HttpOnly, Secure and SameSite=Strict: scripts cannot read it and other sites
/// cannot send it. POSTs must also be `application/json`, and DELETE is not a form method: neither can be
/// sent cross-site without a CORS preflight, which Parley never grants.
struct WebAPI: Sendable {
    let signIn: WebSignInService
    let sessions: WebSessionRegistry
    let domain: String
    let clock: @Sendable () -> UnixTime

    func register(on router: Router<WebRequestContext>) {
        let api = router.group("api")
        api.post("session") { request, context in try await self.signIn(request, context) }
        api.get("session") { request, context in self.current(request, context) }
        api.post("session/key") { request, context in self.rotateKey(request, context) }
        api.delete("session") { request, context in self.signOut(request, context) }
    }

    // MARK: Handlers

    private func signIn(_ request: Request, _ context: WebRequestContext) async throws -> Response {
        guard Self.isJSON(request) else { return Self.error(.unsupportedMediaType, "send application/json") }
        let body: SignInRequest
        do {
            body = try await request.decode(as: SignInRequest.self, context: context)
        } catch {
            return Self.error(.badRequest, "expected {\"user\": ..., \"password\": ...}")
        }
        let userAgent = request.headers[.userAgent] ?? ""
        do {
            let (issued, account) = try await signIn.signIn(
                user: body.user, password: body.password, clientHost: context.clientHost, userAgent: userAgent,
                now: clock())
            var response = Self.json(
                .ok, sessionBody(issued.record, displayName: account.displayName, sip: issued.credentials, request))
            response.setCookie(sessionCookie(value: issued.cookie, maxAge: Int(sessions.settings.lifetimeSeconds)))
            return response
        } catch .wrongCredentials {
            return Self.error(.unauthorized, "wrong user name or password")
        } catch .tooManyFailures(let seconds) {
            var response = Self.error(.tooManyRequests, "too many failed sign-ins; try again in \(seconds) s")
            response.headers[.retryAfter] = "\(seconds)"
            return response
        } catch .busy {
            var response = Self.error(.tooManyRequests, "too many sign-ins at once; try again in a moment")
            response.headers[.retryAfter] = "1"
            return response
        } catch .unavailable(let reason) {
            context.logger.error("web sign-in failed", metadata: ["error": "\(reason)"])
            return Self.error(.serviceUnavailable, "sign-in is unavailable, try again later")
        }
    }

    private func current(_ request: Request, _ context: WebRequestContext) -> Response {
        guard let record = session(of: request, context) else { return Self.signedOut(sessionCookieName) }
        let displayName = (try? signIn.store.webAccount(name: record.userName))??.displayName
        return Self.json(.ok, sessionBody(record, displayName: displayName, sip: nil, request))
    }

    private func rotateKey(_ request: Request, _ context: WebRequestContext) -> Response {
        guard Self.isJSON(request) else { return Self.error(.unsupportedMediaType, "send application/json") }
        guard let record = session(of: request, context) else { return Self.signedOut(sessionCookieName) }
        guard let credentials = try? sessions.rotateKey(sessionID: record.id) else {
            return Self.signedOut(sessionCookieName)
        }
        let displayName = (try? signIn.store.webAccount(name: record.userName))??.displayName
        return Self.json(.ok, sessionBody(record, displayName: displayName, sip: credentials, request))
    }

    /// Holding the cookie is enough to end its session, from any address (the user may have moved).
    private func signOut(_ request: Request, _ context: WebRequestContext) -> Response {
        if let cookie = request.cookies[sessionCookieName]?.value, !cookie.isEmpty,
            let sessionID = sessions.sessionID(cookie: cookie)
        {
            do {
                try signIn.signOut(sessionID: sessionID)
            } catch {
                context.logger.error("web sign-out failed", metadata: ["error": "\(error)"])
                return Self.error(.serviceUnavailable, "sign-out is unavailable, try again later")
            }
        }
        var response = Response(status: .noContent)
        response.setCookie(sessionCookie(value: "", maxAge: 0))
        return response
    }

    // MARK: Sessions and cookies

    private var sessionCookieName: String { sessions.settings.cookieName }

    /// The request's session, valid only from the address and User-Agent it signed in from.
    private func session(of request: Request, _ context: WebRequestContext) -> WebSessionRecord? {
        sessions.session(of: request, context: context, now: clock())
    }

    private func sessionCookie(value: String, maxAge: Int) -> Cookie {
        Cookie(
            name: sessionCookieName, value: value, maxAge: maxAge, path: "/", secure: true, httpOnly: true,
            sameSite: .strict)
    }

    private func sessionBody(
        _ record: WebSessionRecord, displayName: String?, sip credentials: WebSIPCredentials?, _ request: Request
    ) -> SessionBody {
        SessionBody(
            user: record.userName, displayName: displayName, aor: "sip:\(record.userName)@\(domain)", domain: domain,
            expiresAt: record.expiresAtMs,
            sip: credentials.map {
                SIPCredentialsBody(
                    authUsername: $0.authUsername, password: $0.password, realm: domain,
                    webSocketURL: "wss://\(request.head.authority ?? domain)/sip")
            })
    }

    // MARK: Responses

    private static func isJSON(_ request: Request) -> Bool {
        guard let type = request.headers[.contentType] else { return false }
        return type.lowercased().split(separator: ";").first?.trimmingCharacters(in: .whitespaces) == "application/json"
    }

    static func json(_ status: HTTPResponse.Status, _ body: some Encodable) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(body)) ?? Data("{}".utf8)
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func error(_ status: HTTPResponse.Status, _ message: String) -> Response {
        json(status, ErrorBody(error: message))
    }

    /// 401 that also clears a stale cookie.
    static func signedOut(_ cookieName: String) -> Response {
        var response = error(.unauthorized, "not signed in")
        response.setCookie(
            Cookie(name: cookieName, value: "", maxAge: 0, path: "/", secure: true, httpOnly: true, sameSite: .strict))
        return response
    }
}
