import Foundation
import HTTPTypes
import Hummingbird
import SIPServices
import Storage

/// The chat history API under `/api`, for the signed-in user: their rooms with unread counts, a room's or a
/// private conversation's history in pages (before/after cursors), and read markers. Messages themselves
/// travel as SIP MESSAGE; this API only reads what the store kept.
struct ChatAPI: Sendable {
    let store: ParleyStore
    let sessions: WebSessionRegistry
    let domain: String
    let clock: @Sendable () -> UnixTime

    func register(on router: Router<WebRequestContext>) {
        let api = router.group("api")
        api.get("rooms") { request, context in self.rooms(request, context) }
        api.get("rooms/:room/messages") { request, context in
            self.history(request, context, of: context.parameters.get("room").map(Conversation.room))
        }
        api.post("rooms/:room/read") { request, context in
            try await self.markRead(request, context, of: context.parameters.get("room").map(Conversation.room))
        }
        api.get("private/:peer/messages") { request, context in
            self.history(request, context, of: self.privateConversation(request, context))
        }
        api.post("private/:peer/read") { request, context in
            try await self.markRead(request, context, of: self.privateConversation(request, context))
        }
    }

    // MARK: Handlers

    private func rooms(_ request: Request, _ context: WebRequestContext) -> Response {
        guard let user = sessions.session(of: request, context: context, now: clock())?.userName else {
            return WebAPI.signedOut(sessions.settings.cookieName)
        }
        do {
            let unread = try store.unreadCounts(user: user)
            let mine = Set(try store.rooms(of: user))
            let rooms = try store.listRooms().filter { mine.contains($0.name) }.map { room in
                RoomBody(
                    name: room.name, displayName: room.displayName, uri: "sip:\(room.name)@\(domain)",
                    members: room.members, unread: unread[.room(room.name)] ?? 0)
            }
            var privateUnread: [String: Int] = [:]
            for case (.privateChat(let first, let second), let count) in unread {
                privateUnread[first == user ? second : first] = count
            }
            return WebAPI.json(.ok, RoomsBody(rooms: rooms, privateUnread: privateUnread))
        } catch {
            return unavailable(error, context)
        }
    }

    private func history(_ request: Request, _ context: WebRequestContext, of conversation: Conversation?) -> Response {
        guard let user = sessions.session(of: request, context: context, now: clock())?.userName else {
            return WebAPI.signedOut(sessions.settings.cookieName)
        }
        guard let conversation else { return WebAPI.error(.notFound, "no such conversation") }
        let query = request.uri.queryParameters
        let limit = query["limit"].flatMap { Int(String($0)) } ?? 50
        let page: HistoryPage
        if let before = query["before"] {
            guard let id = Int64(String(before)) else { return WebAPI.error(.badRequest, "before must be a message id") }
            page = .before(id: id, limit: limit)
        } else if let after = query["after"] {
            guard let id = Int64(String(after)) else { return WebAPI.error(.badRequest, "after must be a message id") }
            page = .after(id: id, limit: limit)
        } else {
            page = .latest(limit: limit)
        }
        do {
            if let refusal = try refusal(of: conversation, for: user) { return refusal }
            let messages = try store.history(of: conversation, page: page).map { message in
                ChatMessageBody(
                    id: message.id, sender: message.sender, from: "sip:\(message.sender)@\(domain)",
                    contentType: message.contentType, body: message.body, at: message.createdAtMs)
            }
            return WebAPI.json(.ok, HistoryBody(messages: messages))
        } catch {
            return unavailable(error, context)
        }
    }

    private func markRead(_ request: Request, _ context: WebRequestContext, of conversation: Conversation?) async throws
        -> Response
    {
        guard let user = sessions.session(of: request, context: context, now: clock())?.userName else {
            return WebAPI.signedOut(sessions.settings.cookieName)
        }
        guard let conversation else { return WebAPI.error(.notFound, "no such conversation") }
        guard request.headers[.contentType]?.lowercased().hasPrefix("application/json") == true else {
            return WebAPI.error(.unsupportedMediaType, "send application/json")
        }
        guard let marker = try? await request.decode(as: ReadMarkerRequest.self, context: context) else {
            return WebAPI.error(.badRequest, "expected {\"upTo\": <message id>}")
        }
        do {
            if let refusal = try refusal(of: conversation, for: user) { return refusal }
            try store.markRead(user: user, conversation: conversation, upTo: marker.upTo)
            return Response(status: .noContent)
        } catch {
            return unavailable(error, context)
        }
    }

    // MARK: Access

    /// The private conversation of the signed-in user with `:peer`; nil for an unknown peer.
    private func privateConversation(_ request: Request, _ context: WebRequestContext) -> Conversation? {
        guard let user = sessions.session(of: request, context: context, now: clock())?.userName,
            let peer = context.parameters.get("peer"), (try? store.webAccount(name: peer)) != nil
        else { return nil }
        return .between(user, peer)
    }

    /// A room's history is for its members only: 404 for no such room, 403 for a non-member.
    private func refusal(of conversation: Conversation, for user: String) throws(StorageError) -> Response? {
        guard case .room(let name) = conversation else { return nil }
        guard try store.listRooms().contains(where: { $0.name == name }) else {
            return WebAPI.error(.notFound, "no room \(name)")
        }
        guard try store.rooms(of: user).contains(name) else {
            return WebAPI.error(.forbidden, "not a member of \(name)")
        }
        return nil
    }

    private func unavailable(_ error: any Error, _ context: WebRequestContext) -> Response {
        context.logger.error("chat history unavailable", metadata: ["error": "\(error)"])
        return WebAPI.error(.serviceUnavailable, "history is unavailable, try again later")
    }
}
