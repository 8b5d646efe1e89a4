/// Where a chat message belongs: a room, or the private conversation of two users (the same whichever of
/// them writes). Stored as text: `room:NAME` or `private:A|B` with A < B.
public enum Conversation: Hashable, Sendable, CustomStringConvertible {
    case room(String)
    case privateChat(String, String)

    /// The private conversation of two users, in a canonical order.
    public static func between(_ first: String, _ second: String) -> Conversation {
        first <= second ? .privateChat(first, second) : .privateChat(second, first)
    }

    public var storageKey: String {
        switch self {
        case .room(let name): return "room:\(name)"
        case .privateChat(let first, let second): return "private:\(first)|\(second)"
        }
    }

    public init?(storageKey: String) {
        if storageKey.hasPrefix("room:") {
            self = .room(String(storageKey.dropFirst(5)))
        } else if storageKey.hasPrefix("private:") {
            let pair = storageKey.dropFirst(8).split(separator: "|", maxSplits: 1).map(String.init)
            guard pair.count == 2 else { return nil }
            self = .privateChat(pair[0], pair[1])
        } else {
            return nil
        }
    }

    public var description: String { storageKey }
}
