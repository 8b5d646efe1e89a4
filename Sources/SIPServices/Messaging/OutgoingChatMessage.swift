import SIPCore

/// A MESSAGE Parley sends on its own (RFC 3428 as a UAC): who it is from, to whom, and its body. Room
/// messages come from the room, with the sender in front of the text or, for a device that accepts it,
/// in a CPIM wrapper (RFC 3862); stored private messages come from their sender.
public struct OutgoingChatMessage: Hashable, Sendable {
    public var from: NameAddress
    public var to: NameAddress
    public var contentType: String
    public var body: String

    public init(from: NameAddress, to: NameAddress, contentType: String, body: String) {
        self.from = from
        self.to = to
        self.contentType = contentType
        self.body = body
    }

    public static let plainText = "text/plain;charset=utf-8"

    /// A display name as one header line: control characters (CR and LF among them) dropped, whatever the
    /// store holds.
    static func headerSafe(_ name: String?) -> String? {
        name.map(CPIMMessage.headerSafe)
    }

    /// A room message for one device of `recipient`.
    public static func room(
        _ message: StoredChatMessage, in room: ChatRoom, domain: String, senderName: String?, recipient: String,
        asCPIM: Bool
    ) -> OutgoingChatMessage {
        let roomAddress = NameAddress(
            displayName: headerSafe(room.displayName), uri: .sip(AOR(user: room.name, domain: domain).uri))
        let to = NameAddress(uri: .sip(AOR(user: recipient, domain: domain).uri))
        let senderAOR = AOR(user: message.sender, domain: domain)
        guard asCPIM else {
            return OutgoingChatMessage(
                from: roomAddress, to: to, contentType: plainText,
                body: "\(senderName ?? message.sender): \(message.body)")
        }
        let cpim = CPIMMessage(
            from: .init(name: senderName, uri: senderAOR.description),
            to: .init(name: room.displayName, uri: roomAddress.uri.description), dateTimeMs: message.createdAtMs,
            messageID: String(message.id), contentType: plainText, body: message.body)
        return OutgoingChatMessage(from: roomAddress, to: to, contentType: CPIMMessage.mediaType, body: cpim.serialized)
    }

    /// A stored private message for one device of its recipient, from its sender.
    public static func privateMessage(
        _ message: StoredChatMessage, recipient: String, domain: String, senderName: String?, asCPIM: Bool
    ) -> OutgoingChatMessage {
        let senderAOR = AOR(user: message.sender, domain: domain)
        let recipientAOR = AOR(user: recipient, domain: domain)
        let from = NameAddress(displayName: headerSafe(senderName), uri: .sip(senderAOR.uri))
        let to = NameAddress(uri: .sip(recipientAOR.uri))
        guard asCPIM else {
            return OutgoingChatMessage(from: from, to: to, contentType: message.contentType, body: message.body)
        }
        let cpim = CPIMMessage(
            from: .init(name: senderName, uri: senderAOR.description),
            to: .init(name: nil, uri: recipientAOR.description),
            dateTimeMs: message.createdAtMs, messageID: String(message.id), contentType: message.contentType,
            body: message.body)
        return OutgoingChatMessage(from: from, to: to, contentType: CPIMMessage.mediaType, body: cpim.serialized)
    }

    /// A word from the room itself (a /join or /leave confirmation), always plain text.
    public static func roomNotice(
        _ text: String, room: ChatRoom, recipient: String, domain: String
    ) -> OutgoingChatMessage {
        OutgoingChatMessage(
            from: NameAddress(
                displayName: headerSafe(room.displayName), uri: .sip(AOR(user: room.name, domain: domain).uri)),
            to: NameAddress(uri: .sip(AOR(user: recipient, domain: domain).uri)), contentType: plainText, body: text)
    }
}
