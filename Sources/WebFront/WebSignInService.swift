import Logging
import SIPCore
import SIPServices
import Storage

/// Web sign-in and sign-out, apart from HTTP: checks the password (bcrypt), applies the failure limit,
/// opens and ends sessions, and asks for the ended sessions' WebSockets to be closed.
public struct WebSignInService: Sendable {
    public enum Failure: Error, Equatable, Sendable {
        /// Unknown user, wrong password or no web password: one answer for all (no user probing).
        case wrongCredentials
        case tooManyFailures(retryAfterSeconds: Int64)
        case unavailable(String)
    }

    let store: ParleyStore
    let sessions: WebSessionRegistry
    let limiter: SignInLimiter
    let password: WebPassword
    /// Closes SIP flows (on the SIP event loop).
    let closeFlows: @Sendable ([FlowID]) -> Void
    let logger: Logger

    public init(
        store: ParleyStore, sessions: WebSessionRegistry, limiter: SignInLimiter, password: WebPassword,
        logger: Logger, closeFlows: @escaping @Sendable ([FlowID]) -> Void
    ) {
        self.store = store
        self.sessions = sessions
        self.limiter = limiter
        self.password = password
        self.logger = logger
        self.closeFlows = closeFlows
    }

    public func signIn(user: String, password candidate: String, clientHost: String, userAgent: String, now: UnixTime)
        async throws(Failure) -> (IssuedWebSession, WebAccountRecord)
    {
        if let seconds = limiter.secondsBanned(clientHost, now: now) {
            throw .tooManyFailures(retryAfterSeconds: seconds)
        }
        let account: WebAccountRecord?
        do { account = try store.webAccount(name: user) } catch { throw .unavailable("\(error)") }
        guard await password.verify(candidate, against: account?.passwordHash), let account else {
            if account != nil && account?.passwordHash == nil {
                logger.notice(
                    "web sign-in for a user without a web password; set one with `parley user password`",
                    metadata: ["web.user": "\(user)"])
            }
            logger.info("web sign-in failed", metadata: ["web.user": "\(user)", "web.client": "\(clientHost)"])
            limiter.recordFailure(clientHost, now: now)
            throw .wrongCredentials
        }
        do {
            let issued = try sessions.open(user: account.name, clientHost: clientHost, userAgent: userAgent, now: now)
            return (issued, account)
        } catch {
            throw .unavailable("\(error)")
        }
    }

    /// Ends a session and closes its SIP WebSockets.
    public func signOut(sessionID: String) throws(Failure) {
        do {
            closeFlows(try sessions.revoke(sessionID: sessionID))
        } catch {
            throw .unavailable("\(error)")
        }
    }
}
