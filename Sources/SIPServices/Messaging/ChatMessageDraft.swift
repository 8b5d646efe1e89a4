/// A message about to be stored: what the archive needs to write it, and who must still receive it
/// (private messages stay pending for their recipient until a device accepts them, RFC 3428 section 7's
/// store-and-forward).
public struct ChatMessageDraft: Hashable, Sendable {
    public var conversation: Conversation
    public var sender: String
    public var senderDevice: String?
    public var contentType: String
    public var body: String
    public var createdAtMs: Int64
    /// Users for whom the message is queued until one of their devices accepts it.
    public var pendingFor: [String]

    public init(
        conversation: Conversation, sender: String, senderDevice: String?, contentType: String, body: String,
        createdAtMs: Int64, pendingFor: [String] = []
    ) {
        self.conversation = conversation
        self.sender = sender
        self.senderDevice = senderDevice
        self.contentType = contentType
        self.body = body
        self.createdAtMs = createdAtMs
        self.pendingFor = pendingFor
    }
}
