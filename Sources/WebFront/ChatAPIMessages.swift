/// The JSON bodies of the chat API (WebClient/README.md describes them for the client).
struct RoomBody: Encodable {
    var name: String
    var displayName: String?
    var uri: String
    var members: [String]
    var unread: Int
}

/// A room the user may join.
struct AvailableRoomBody: Encodable {
    var name: String
    var displayName: String?
    var uri: String
}

struct RoomsBody: Encodable {
    var rooms: [RoomBody]
    var available: [AvailableRoomBody]
    /// Unread counts of private conversations, by the other user's name.
    var privateUnread: [String: Int]
}

struct ChatMessageBody: Encodable {
    var id: Int64
    var sender: String
    /// The sender's SIP URI.
    var from: String
    var contentType: String
    var body: String
    /// Milliseconds since 1970.
    var at: Int64
}

struct HistoryBody: Encodable {
    var messages: [ChatMessageBody]
}

struct ReadMarkerRequest: Decodable {
    var upTo: Int64
}

struct UserBody: Encodable {
    var name: String
    var displayName: String?
    var uri: String
}

struct UsersBody: Encodable {
    var users: [UserBody]
}
