/// A chatroom as the SIP runtime sees it: its name (the user part of `sip:NAME@domain`), the name people
/// read, and its members' user names.
public struct ChatRoom: Hashable, Sendable {
    public var name: String
    public var displayName: String?
    public var members: Set<String>

    public init(name: String, displayName: String?, members: Set<String>) {
        self.name = name
        self.displayName = displayName
        self.members = members
    }
}
