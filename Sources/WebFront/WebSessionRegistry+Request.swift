import Hummingbird
import SIPServices
import Storage

extension WebSessionRegistry {
    /// The session of an HTTP request: its cookie, valid from the request's address and User-Agent.
    func session(of request: Request, context: WebRequestContext, now: UnixTime) -> WebSessionRecord? {
        guard let cookie = request.cookies[settings.cookieName]?.value, !cookie.isEmpty else { return nil }
        return session(
            cookie: cookie, clientHost: context.clientHost, userAgent: request.headers[.userAgent] ?? "", now: now)
    }
}
