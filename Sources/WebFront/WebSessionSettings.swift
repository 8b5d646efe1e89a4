/// How long web sessions live, and how their cookie is named.
public struct WebSessionSettings: Hashable, Sendable {
    /// A session ends this long after sign-in, whatever its use.
    public var lifetimeSeconds: Int64
    public var cookieName: String

    public init(lifetimeSeconds: Int64 = 12 * 3600, cookieName: String = "parley_session") {
        self.lifetimeSeconds = lifetimeSeconds
        self.cookieName = cookieName
    }
}
