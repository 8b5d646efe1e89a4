/// A chatroom as `parley room list` and the web client show it.
public struct RoomSummary: Hashable, Sendable {
    public var name: String
    public var displayName: String?
    /// Member user names, sorted.
    public var members: [String]

    public init(name: String, displayName: String?, members: [String]) {
        self.name = name
        self.displayName = displayName
        self.members = members
    }
}
