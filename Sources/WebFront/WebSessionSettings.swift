/// How long web sessions live, how many a user may hold, and how their cookie is named.
public struct WebSessionSettings: Hashable, Sendable {
    /// A session ends this long after sign-in, whatever its use.
    public var lifetimeSeconds: Int64
    public var cookieName: String
    /// Signing in once more ends the user's oldest session beyond this many.
    public var maxSessionsPerUser: Int

    public init(lifetimeSeconds: Int64 = 12 * 3600, cookieName: String = "parley_session", maxSessionsPerUser: Int = 20)
    {
        self.lifetimeSeconds = lifetimeSeconds
        self.cookieName = cookieName
        self.maxSessionsPerUser = max(1, maxSessionsPerUser)
    }
}
