/// The digest credentials the bundled client's SIP user agent answers challenges with: the auth username
/// names the session, the password is the session key. They work only on a WebSocket the same session opened.
public struct WebSIPCredentials: Hashable, Sendable {
    public var authUsername: String
    public var password: String

    /// `user#session`: `#` cannot appear in a user or device name, so no session username collides with a
    /// device account's.
    static func authUsername(user: String, sessionID: String) -> String {
        "\(user)#\(sessionID)"
    }

    /// The session id inside a session auth username, or nil for any other username.
    static func sessionID(inAuthUsername authUsername: String) -> Substring? {
        guard let separator = authUsername.lastIndex(of: "#") else { return nil }
        return authUsername[authUsername.index(after: separator)...]
    }
}
