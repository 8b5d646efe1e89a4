/// What Parley knows of one person's presence: what a PIDF document (RFC 3863) with RPID (RFC 4480)
/// says, reduced to what the web client shows.
public struct PresenceStatus: Hashable, Sendable {
    /// PIDF basic open/closed (RFC 3863 section 4.1.4): closed means offline.
    public var isOpen: Bool
    /// From the RPID activities (RFC 4480 section 3.2).
    public var manual: ManualStatus
    /// rpid:on-the-phone.
    public var onThePhone: Bool
    /// One line of status text (RFC 3863 section 4.1.6 note, RFC 4479 section 3.3 dm:note).
    public var note: String?

    public init(isOpen: Bool, manual: ManualStatus = .available, onThePhone: Bool = false, note: String? = nil) {
        self.isOpen = isOpen
        self.manual = manual
        self.onThePhone = onThePhone
        self.note = note
    }
}
