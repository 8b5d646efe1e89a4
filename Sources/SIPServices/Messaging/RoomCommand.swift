/// What a softphone can ask of a room in the text of a MESSAGE sent to it: `/join` and `/leave` (the
/// whole text, spaces and case aside). Anything else is a message for the room.
public enum RoomCommand: Hashable, Sendable {
    case join
    case leave

    public init?(text: String) {
        var word = Substring(text.lowercased())
        while word.first?.isWhitespace == true { word.removeFirst() }
        while word.last?.isWhitespace == true { word.removeLast() }
        switch word {
        case "/join": self = .join
        case "/leave": self = .leave
        default: return nil
        }
    }
}
