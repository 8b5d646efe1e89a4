/// Rooms and people's display names, read on the event loop: implementations answer from memory.
public protocol ChatDirectory {
    /// The room `sip:NAME@domain`, or nil when there is none.
    func room(_ aor: AOR) -> ChatRoom?
    /// Every room, for members' buddy lists.
    func rooms(of user: String) -> [ChatRoom]
    /// The display name of a user, when they have one.
    func displayName(ofUser user: String) -> String?
    /// Changes whenever rooms, members or users change: buddy lists are checked again then.
    var generation: Int64 { get }
}
