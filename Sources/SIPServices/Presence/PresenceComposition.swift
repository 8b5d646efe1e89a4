/// A user's presence as watchers see it (DESIGN.md: one person, several private identities): present
/// while at least one device is registered; the manual status and note of the newest publication; on the
/// phone while in a call through Parley or when a device says so.
public enum PresenceComposition {
    public static func compose(isRegistered: Bool, publications: [PresencePublication], inCall: Bool) -> PresenceStatus
    {
        let newest = publications.max { $0.modifiedAt < $1.modifiedAt }
        return PresenceStatus(
            isOpen: isRegistered, manual: newest?.status.manual ?? .available,
            onThePhone: inCall || publications.contains { $0.status.onThePhone }, note: newest?.status.note)
    }
}
