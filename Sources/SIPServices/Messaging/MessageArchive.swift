/// Where room and private messages are stored (the store implements it). Every call returns at once and
/// completes later, off the SIP event loop: the runtime answers a MESSAGE only from `append`'s completion,
/// so nothing is acknowledged before it is durable.
public protocol MessageArchive: AnyObject, Sendable {
    /// Stores a message (and its pending deliveries) and completes once the write is committed.
    func append(
        _ draft: ChatMessageDraft, completion: @escaping @Sendable (Result<StoredChatMessage, ArchiveError>) -> Void)
    /// Messages still queued for `user`, oldest first, at most `limit`.
    func pendingMessages(
        for user: String, limit: Int,
        completion: @escaping @Sendable (Result<[StoredChatMessage], ArchiveError>) -> Void)
    /// A device of `user` accepted the message: it leaves the queue.
    func delivered(messageID: Int64, to user: String)
    /// Adds `user` to `room` or removes them; completes once the room directory shows the change.
    func setMembership(
        room: String, user: String, isMember: Bool, completion: @escaping @Sendable (Result<Void, ArchiveError>) -> Void
    )
}
