/// A room or private message as stored. The id orders its conversation and is the paging cursor.
public struct StoredChatMessage: Hashable, Sendable {
    public var id: Int64
    public var conversation: Conversation
    /// The sending user (public identity name).
    public var sender: String
    /// The private identity it came from (a device's auth username, or the web session's), if known.
    public var senderDevice: String?
    public var contentType: String
    public var body: String
    public var createdAtMs: Int64

    public init(
        id: Int64, conversation: Conversation, sender: String, senderDevice: String?, contentType: String,
        body: String, createdAtMs: Int64
    ) {
        self.id = id
        self.conversation = conversation
        self.sender = sender
        self.senderDevice = senderDevice
        self.contentType = contentType
        self.body = body
        self.createdAtMs = createdAtMs
    }
}
