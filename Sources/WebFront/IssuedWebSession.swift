import Storage

/// What sign-in hands to the browser once: the cookie, and the SIP credentials derived from the session key.
/// Neither secret is kept by the server, only their hashes.
public struct IssuedWebSession: Sendable {
    public var record: WebSessionRecord
    /// The cookie's value (HttpOnly: scripts never see it).
    public var cookie: String
    public var credentials: WebSIPCredentials
}
