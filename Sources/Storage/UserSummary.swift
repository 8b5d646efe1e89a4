/// A public identity as `parley user list` shows it.
public struct UserSummary: Hashable, Sendable {
    public var name: String
    public var displayName: String?
    /// Auth usernames of the SIP device accounts (the web account is the user's own name).
    public var devices: [String]

    public init(name: String, displayName: String?, devices: [String]) {
        self.name = name
        self.displayName = displayName
        self.devices = devices
    }
}
