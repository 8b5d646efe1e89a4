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
        /// Too many sign-ins being checked at once.
        case busy
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

    public func signIn(
        user: String, password candidate: String, clientHost: String, userAgent: String, now: UnixTime
    )
        async throws(Failure) -> (IssuedWebSession, WebAccountRecord)
    {
        switch limiter.admit(clientHost, now: now) {
        case .admitted: break
        case .banned(let seconds): throw .tooManyFailures(retryAfterSeconds: seconds)
        case .busy: throw .busy
        }
        let account: WebAccountRecord?
        do {
            account = try store.webAccount(name: user)
        } catch {
            limiter.finish(clientHost, failed: false, now: now)
            throw .unavailable("\(error)")
        }
        let matches = await password.verify(candidate, against: account?.passwordHash)
        limiter.finish(clientHost, failed: !matches, now: now)
        guard matches, let account else {
            // The user field is logged only when it names an account: a password typed into it stays out.
            if let account {
                if account.passwordHash == nil {
                    logger.notice(
                        "web sign-in for a user without a web password; set one with `parley user password`",
                        metadata: ["web.user": "\(account.name)"])
                }
                logger.info(
                    "web sign-in failed", metadata: ["web.user": "\(account.name)", "web.client": "\(clientHost)"])
            } else {
                logger.info("web sign-in for an unknown user", metadata: ["web.client": "\(clientHost)"])
            }
            throw .wrongCredentials
        }
        do {
            let issued = try sessions.open(user: account.name, clientHost: clientHost, userAgent: userAgent, now: now)
            if !issued.endedFlows.isEmpty { closeFlows(issued.endedFlows) }
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
