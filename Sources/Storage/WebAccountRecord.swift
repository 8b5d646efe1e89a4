/// A user as web sign-in sees it.
public struct WebAccountRecord: Hashable, Sendable {
    public var name: String
    public var displayName: String?
    /// The bcrypt hash of the web password; nil for users made before web passwords existed, who cannot
    /// sign in until `parley user password` sets one.
    public var passwordHash: String?

    public init(name: String, displayName: String?, passwordHash: String?) {
        self.name = name
        self.displayName = displayName
        self.passwordHash = passwordHash
    }
}
