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
    let membershipChanged: @Sendable () -> Void

    /// The two kinds of conversation the paths name: `rooms/:room` and `private/:peer`.
    enum ConversationPath {
        case room
        case privateChat

        var parameter: String { self == .room ? "room" : "peer" }
    }

    func register(on router: Router<WebRequestContext>) {
        let api = router.group("api")
        api.get("rooms") { request, context in self.rooms(request, context) }
        api.get("users") { request, context in self.buddies(request, context) }
        api.post("rooms/:room/join") { request, context in self.setMembership(request, context, isMember: true) }
        api.post("rooms/:room/leave") { request, context in self.setMembership(request, context, isMember: false) }
        for (prefix, path) in [("rooms/:room", ConversationPath.room), ("private/:peer", .privateChat)] {
            api.get("\(prefix)/messages") { request, context in self.history(request, context, path) }
            api.post("\(prefix)/read") { request, context in try await self.markRead(request, context, path) }
        }
    }

    // MARK: Handlers

    private func rooms(_ request: Request, _ context: WebRequestContext) -> Response {
        guard let user = signedInUser(request, context) else { return WebAPI.signedOut(sessions.settings.cookieName) }
        do {
            let unread = try store.unreadCounts(user: user)
            let mine = Set(try store.rooms(of: user))
            let all = try store.listRooms()
            let rooms = all.filter { mine.contains($0.name) }.map { room in
                RoomBody(
                    name: room.name, displayName: room.displayName, uri: "sip:\(room.name)@\(domain)",
                    members: room.members, unread: unread[.room(room.name)] ?? 0)
            }
            var privateUnread: [String: Int] = [:]
            for case (.privateChat(let first, let second), let count) in unread {
                privateUnread[first == user ? second : first] = count
            }
            let available = all.filter { !mine.contains($0.name) }.map { room in
                AvailableRoomBody(name: room.name, displayName: room.displayName, uri: "sip:\(room.name)@\(domain)")
            }
            return WebAPI.json(.ok, RoomsBody(rooms: rooms, available: available, privateUnread: privateUnread))
        } catch {
            return unavailable(error, context)
        }
    }

    /// The user's buddies: everyone who shares a room with them.
    private func buddies(_ request: Request, _ context: WebRequestContext) -> Response {
        guard let user = signedInUser(request, context) else { return WebAPI.signedOut(sessions.settings.cookieName) }
        do {
            let mine = Set(try store.rooms(of: user))
            var names = Set<String>()
            for room in try store.listRooms() where mine.contains(room.name) { names.formUnion(room.members) }
            names.remove(user)
            let users = try store.listUsers().filter { names.contains($0.name) }.map { summary in
                UserBody(name: summary.name, displayName: summary.displayName, uri: "sip:\(summary.name)@\(domain)")
            }
            return WebAPI.json(.ok, UsersBody(users: users))
        } catch {
            return unavailable(error, context)
        }
    }

    /// Joining or leaving a room from the web client (softphones send /join and /leave to the room).
    private func setMembership(_ request: Request, _ context: WebRequestContext, isMember: Bool) -> Response {
        guard let user = signedInUser(request, context) else { return WebAPI.signedOut(sessions.settings.cookieName) }
        // Like every POST of the API: JSON only, which a cross-site form cannot send.
        guard request.headers[.contentType]?.lowercased().hasPrefix("application/json") == true else {
            return WebAPI.error(.unsupportedMediaType, "send application/json")
        }
        guard let room = context.parameters.get("room") else { return WebAPI.error(.notFound, "no such room") }
        do {
            if isMember {
                try store.addMember(room: room, user: user)
            } else {
                try store.removeMember(room: room, user: user)
            }
        } catch StorageError.roomNotFound {
            return WebAPI.error(.notFound, "no room \(room)")
        } catch StorageError.notAMember {
            // Leaving a room one is not in leaves things as asked.
        } catch {
            return unavailable(error, context)
        }
        membershipChanged()
        return Response(status: .noContent)
    }

    private func history(_ request: Request, _ context: WebRequestContext, _ path: ConversationPath) -> Response {
        let query = request.uri.queryParameters
        let limit = query["limit"].flatMap { Int(String($0)) } ?? 50
        let page: HistoryPage
        if let before = query["before"] {
            guard let id = Int64(String(before)) else {
                return WebAPI.error(.badRequest, "before must be a message id")
            }
            page = .before(id: id, limit: limit)
        } else if let after = query["after"] {
            guard let id = Int64(String(after)) else { return WebAPI.error(.badRequest, "after must be a message id") }
            page = .after(id: id, limit: limit)
        } else {
            page = .latest(limit: limit)
        }
        do {
            let conversation: Conversation
            switch try resolve(path, request, context) {
            case .refused(let response): return response
            case .conversation(let resolved, _): conversation = resolved
            }
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

    private func markRead(
        _ request: Request, _ context: WebRequestContext, _ path: ConversationPath
    ) async throws
        -> Response
    {
        guard request.headers[.contentType]?.lowercased().hasPrefix("application/json") == true else {
            return WebAPI.error(.unsupportedMediaType, "send application/json")
        }
        guard let marker = try? await request.decode(as: ReadMarkerRequest.self, context: context) else {
            return WebAPI.error(.badRequest, "expected {\"upTo\": <message id>}")
        }
        do {
            switch try resolve(path, request, context) {
            case .refused(let response):
                return response
            case .conversation(let conversation, let reader):
                try store.markRead(user: reader, conversation: conversation, upTo: marker.upTo)
                return Response(status: .noContent)
            }
        } catch {
            return unavailable(error, context)
        }
    }

    // MARK: Access

    enum Resolution {
        /// The conversation and the signed-in user reading it.
        case conversation(Conversation, reader: String)
        case refused(Response)
    }

    /// The conversation a path names for the signed-in user: 401 without a session; a room's history is for
    /// its members only (404 for no such room, 403 for a non-member); a private one needs a known peer.
    private func resolve(
        _ path: ConversationPath, _ request: Request, _ context: WebRequestContext
    )
        throws(StorageError) -> Resolution
    {
        guard let user = signedInUser(request, context) else {
            return .refused(WebAPI.signedOut(sessions.settings.cookieName))
        }
        guard let name = context.parameters.get(path.parameter) else {
            return .refused(WebAPI.error(.notFound, "no such conversation"))
        }
        switch path {
        case .room:
            guard try store.roomExists(name) else { return .refused(WebAPI.error(.notFound, "no room \(name)")) }
            guard try store.rooms(of: user).contains(name) else {
                return .refused(WebAPI.error(.forbidden, "not a member of \(name)"))
            }
            return .conversation(.room(name), reader: user)
        case .privateChat:
            guard try store.webAccount(name: name) != nil else {
                return .refused(WebAPI.error(.notFound, "no user \(name)"))
            }
            return .conversation(.between(user, name), reader: user)
        }
    }

    /// The user of the request's live session, if any.
    private func signedInUser(_ request: Request, _ context: WebRequestContext) -> String? {
        sessions.session(of: request, context: context, now: clock())?.userName
    }

    private func unavailable(_ error: any Error, _ context: WebRequestContext) -> Response {
        context.logger.error("chat history unavailable", metadata: ["error": "\(error)"])
        return WebAPI.error(.serviceUnavailable, "history is unavailable, try again later")
    }
}
