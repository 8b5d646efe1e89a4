import SIPCore
import Storage

/// What sign-in hands to the browser once: the cookie, and the SIP credentials derived from the session key.
/// Neither secret is kept by the server: the cookie as its SHA-256, the key as its digest HA1s (which, like any
/// HA1, still prove the key to Parley, so they are as confidential as the key).
public struct IssuedWebSession: Sendable {
    public var record: WebSessionRecord
    /// The cookie's value (HttpOnly: scripts never see it).
    public var cookie: String
    public var credentials: WebSIPCredentials
    /// WebSockets of the user's oldest sessions, ended to keep the user within the session limit.
    public var endedFlows: [FlowID]
}
