/// One event state publication (RFC 3903 section 4): what a device or the web client said of its user,
/// under an entity tag, until it expires.
public struct PresencePublication: Hashable, Sendable {
    public var entityTag: String
    public var status: PresenceStatus
    public var expiresAt: UnixTime
    /// When it was published or last modified: the newest one gives the user's manual status.
    public var modifiedAt: UnixTime
    /// The auth username that published it.
    public var publisher: String

    public init(entityTag: String, status: PresenceStatus, expiresAt: UnixTime, modifiedAt: UnixTime, publisher: String)
    {
        self.entityTag = entityTag
        self.status = status
        self.expiresAt = expiresAt
        self.modifiedAt = modifiedAt
        self.publisher = publisher
    }
}
