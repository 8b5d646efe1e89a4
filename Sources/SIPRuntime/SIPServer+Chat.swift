import NIOCore
import SIPCore
import SIPServices
import SIPTransactions
import SIPTransport

/// Chatrooms and stored private messages (RFC 3428 MESSAGE): Parley is the room's user agent server, stores
/// every text message before it answers, and delivers as its own UAC (SIPServer+OwnRequests.swift).
extension SIPServer {
    /// The longest text a room or private message may carry.
    static let maxChatTextBytes = 8192
    /// The text one MESSAGE over UDP may carry: 1300 bytes (RFC 3428 section 5) less room for the headers.
    static let maxUDPTextBytes = 800
    static let cutNotice = " … [cut: the whole message is in the history]"

    /// The longest prefix of `text` within `bytes` bytes of UTF-8, cut between characters.
    static func cut(_ text: String, toBytes bytes: Int) -> String {
        var result = ""
        var used = 0
        for character in text {
            let size = character.utf8.count
            guard used + size <= bytes else { break }
            result.append(character)
            used += size
        }
        return result
    }

    /// How long a private message's sender waits for a device before hearing 202 (stored).
    static let privateDeliveryWait = TimeAmount.seconds(4)
    /// Queued messages delivered to a device per registration.
    static let queuedDeliveryBatch = 100

    /// A new out-of-dialog MESSAGE from an authenticated local user: true when Parley took it (a room, or
    /// a text for a user, which is stored and forwarded); false to proxy it unchanged (other bodies, such
    /// as RFC 3994 is-composing, reach the devices as sent).
    func takeChatMessage(
        _ request: SIPRequest, _ id: ServerTransactionID, sender: PrivateIdentity, source: SIPSource, now: NIODeadline
    ) -> Bool {
        guard let chat, let target = AOR(uri: request.uri), target.domain == configuration.domain.lowercased() else {
            return false
        }
        if let room = chat.directory.room(target) {
            switch chatText(request) {
            case .text(let text): roomMessage(text, request, id, room: room, sender: sender, source: source)
            case .rejected(let status, let reason): respond(id, request, status, reason: reason, now: now)
            case .otherType:
                respond(
                    id, request, .unsupportedMediaType, reason: "Unsupported Media Type (a room takes text/plain)",
                    headers: [(.accept, "text/plain")], now: now)
            }
            return true
        }
        guard directory.publicIdentityExists(target) else { return false }
        switch chatText(request) {
        case .text(let text): privateMessage(text, request, id, recipient: target.user, sender: sender)
        case .rejected(let status, let reason): respond(id, request, status, reason: reason, now: now)
        case .otherType: return false
        }
        return true
    }

    enum ChatText {
        case text(String)
        case rejected(SIPStatus, String)
        case otherType
    }

    /// The text of a text/plain MESSAGE (RFC 3428 section 9: Content-Type is required; UTF-8 text).
    func chatText(_ request: SIPRequest) -> ChatText {
        guard let contentType = request.headers.first(.contentType)?.valueString else {
            return .rejected(.badRequest, "Bad Request (MESSAGE without Content-Type)")
        }
        let parts = contentType.lowercased().split(separator: ";").map { $0.filter { $0 != " " && $0 != "\t" } }
        guard HeaderValueEssence.of(contentType) == "text/plain" else { return .otherType }
        if let charset = parts.dropFirst().first(where: { $0.hasPrefix("charset=") })?.dropFirst(8),
            !["utf-8", "\"utf-8\"", "us-ascii"].contains(charset)
        {
            return .rejected(.unsupportedMediaType, "Unsupported Media Type (text/plain must be UTF-8)")
        }
        guard request.body.readableBytes <= Self.maxChatTextBytes else {
            return .rejected(
                SIPStatus(413), "Request Entity Too Large (at most \(Self.maxChatTextBytes) bytes of text)")
        }
        let bytes = request.body.readableBytesView
        guard let text = String(validating: bytes, as: UTF8.self) else {
            return .rejected(.badRequest, "Bad Request (the text is not UTF-8)")
        }
        guard text.contains(where: { !$0.isWhitespace }) else {
            return .rejected(.badRequest, "Bad Request (empty message)")
        }
        return .text(text)
    }

    // MARK: Rooms

    func roomMessage(
        _ text: String, _ request: SIPRequest, _ id: ServerTransactionID, room: ChatRoom, sender: PrivateIdentity,
        source: SIPSource
    ) {
        guard let chat else { return }
        let user = sender.aor.user
        if let command = RoomCommand(text: text) {
            chat.archive.setMembership(
                room: room.name, user: user, isMember: command == .join,
                completion: backOnLoop { server, result in
                    server.membershipChanged(result, command, request, id, room: room, source: source)
                })
            return
        }
        guard room.members.contains(user) else {
            return respond(
                id, request, .forbidden, reason: "Forbidden (not a member of \(room.name); send /join)", now: .now())
        }
        let draft = ChatMessageDraft(
            conversation: .room(room.name), sender: user, senderDevice: sender.authUsername,
            contentType: "text/plain", body: text, createdAtMs: wallClock().milliseconds)
        chat.archive.append(
            draft,
            completion: backOnLoop { server, result in server.roomMessageStored(result, request, id, source: source) })
    }

    func roomMessageStored(
        _ result: Result<StoredChatMessage, ArchiveError>, _ request: SIPRequest, _ id: ServerTransactionID,
        source: SIPSource
    ) {
        let now = NIODeadline.now()
        switch result {
        case .failure(let error):
            logger.error("cannot store a room message", metadata: ["error": "\(error)"])
            respond(
                id, request, .serverInternalError, reason: "Server Internal Error (the message was not stored)",
                now: now)
        case .success(let message):
            respond(id, request, .ok, now: now)
            guard case .room(let name) = message.conversation else { return }
            fanOut(message, roomName: name, except: source, now: now)
        }
    }

    /// Every registered device of every member but the one that sent it (DESIGN.md: rooms are shared by
    /// web and softphone users). Failures are logged only: the message is in the room's history.
    func fanOut(_ message: StoredChatMessage, roomName: String, except source: SIPSource, now: NIODeadline) {
        guard let chat, let room = chat.directory.room(AOR(user: roomName, domain: configuration.domain)) else {
            return
        }
        let senderName = chat.directory.displayName(ofUser: message.sender)
        let clock = wallClock()
        // The body is the same for every member (CPIM's To is the room): made once per form, not per device.
        var forms: [Bool: OutgoingChatMessage] = [:]
        for member in room.members {
            let memberAOR = AOR(user: member, domain: configuration.domain)
            for binding in registrar.location.bindings(for: memberAOR, now: clock)
            where !(member == message.sender && Self.isSendingDevice(binding, source)) {
                var outgoing =
                    forms[binding.acceptsCPIM]
                    ?? OutgoingChatMessage.room(
                        message, in: room, domain: configuration.domain, senderName: senderName, recipient: member,
                        asCPIM: binding.acceptsCPIM)
                forms[binding.acceptsCPIM] = outgoing
                outgoing.to = NameAddress(uri: .sip(memberAOR.uri))
                deliver(outgoing, to: binding, now: now) { outcome in
                    if !outcome.isSuccess { self.logDeliveryFailure(outcome, binding: binding, messageID: message.id) }
                }
            }
        }
    }

    func membershipChanged(
        _ result: Result<Void, ArchiveError>, _ command: RoomCommand, _ request: SIPRequest, _ id: ServerTransactionID,
        room: ChatRoom, source: SIPSource
    ) {
        let now = NIODeadline.now()
        if case .failure(let error) = result {
            logger.error("cannot change a room's members", metadata: ["error": "\(error)"])
            return respond(
                id, request, .serverInternalError, reason: "Server Internal Error (the room could not be changed)",
                now: now)
        }
        respond(id, request, .ok, now: now)
        checkedDirectoryGeneration = chat?.directory.generation ?? -1
        buddyListsChanged(now: now)
        guard let sender = (try? request.headers.from)?.flatMap({ AOR(uri: $0.uri) }) else { return }
        let name = room.displayName ?? room.name
        let text = command == .join ? "You joined \(name)." : "You left \(name)."
        for binding in registrar.location.bindings(for: sender, now: wallClock())
        where Self.isSendingDevice(binding, source) {
            let notice = OutgoingChatMessage.roomNotice(
                text, room: room, recipient: sender.user, domain: configuration.domain)
            deliver(notice, to: binding, now: now) { _ in }
        }
    }

    /// The binding of the device a request came from: same transport and address, and the same connection
    /// when it has one.
    static func isSendingDevice(_ binding: Binding, _ source: SIPSource) -> Bool {
        binding.source.transport == source.transport && binding.source.remote == source.remote
            && (binding.source.flow == source.flow || binding.source.flow == .restored || source.transport == .udp)
    }

    // MARK: Private messages

    func privateMessage(
        _ text: String, _ request: SIPRequest, _ id: ServerTransactionID, recipient: String, sender: PrivateIdentity
    ) {
        guard let chat else { return }
        let draft = ChatMessageDraft(
            conversation: .between(sender.aor.user, recipient), sender: sender.aor.user,
            senderDevice: sender.authUsername, contentType: "text/plain", body: text,
            createdAtMs: wallClock().milliseconds, pendingFor: [recipient])
        chat.archive.append(
            draft,
            completion: backOnLoop { server, result in
                server.privateMessageStored(result, request, id, recipient: recipient)
            })
    }

    func privateMessageStored(
        _ result: Result<StoredChatMessage, ArchiveError>, _ request: SIPRequest, _ id: ServerTransactionID,
        recipient: String
    ) {
        let now = NIODeadline.now()
        let message: StoredChatMessage
        switch result {
        case .failure(let error):
            logger.error("cannot store a private message", metadata: ["error": "\(error)"])
            return respond(
                id, request, .serverInternalError, reason: "Server Internal Error (the message was not stored)",
                now: now)
        case .success(let stored):
            message = stored
        }
        let bindings = registrar.location.bindings(
            for: AOR(user: recipient, domain: configuration.domain), now: wallClock())
        guard !bindings.isEmpty else {
            return respond(
                id, request, SIPStatus(202), reason: "Accepted (stored until \(recipient) is online)", now: now)
        }
        privateDeliveries[id] = PrivateDelivery(
            request: request, messageID: message.id, recipient: recipient, outstanding: bindings.count,
            deadline: now + Self.privateDeliveryWait)
        for binding in bindings {
            deliverStored(message, to: binding, now: now) { outcome in
                self.privateDeliveryAnswered(id, outcome: outcome, now: NIODeadline.now())
            }
        }
    }

    func privateDeliveryAnswered(_ id: ServerTransactionID, outcome: OwnRequestOutcome, now: NIODeadline) {
        guard var delivery = privateDeliveries[id] else { return }
        if outcome.isSuccess {
            privateDeliveries[id] = nil
            return respond(id, delivery.request, .ok, now: now)
        }
        delivery.outstanding -= 1
        guard delivery.outstanding == 0 else {
            privateDeliveries[id] = delivery
            return
        }
        privateDeliveries[id] = nil
        respond(id, delivery.request, SIPStatus(202), reason: "Accepted (stored for later delivery)", now: now)
    }

    /// Once a second: senders still waiting past the deadline hear 202; delivery goes on.
    func sweepPrivateDeliveries(now: NIODeadline) {
        for (id, delivery) in privateDeliveries where delivery.deadline <= now {
            privateDeliveries[id] = nil
            respond(id, delivery.request, SIPStatus(202), reason: "Accepted (stored for later delivery)", now: now)
        }
    }

    /// A stored private message to one device; a 2xx takes it off its recipient's queue.
    func deliverStored(
        _ message: StoredChatMessage, to binding: Binding, now: NIODeadline,
        completion: @escaping (OwnRequestOutcome) -> Void
    ) {
        guard let chat else { return completion(.noResponse(SIPStatus(503))) }
        let key = DeliveryKey(messageID: message.id, contact: binding.contact.uri.description)
        // A refresh REGISTER while a delivery is out must not send the same message to the same device again.
        guard deliveriesInFlight.insert(key).inserted else { return completion(.noResponse(SIPStatus(482))) }
        let recipient = binding.aor.user
        let outgoing = OutgoingChatMessage.privateMessage(
            message, recipient: recipient, domain: configuration.domain,
            senderName: chat.directory.displayName(ofUser: message.sender), asCPIM: binding.acceptsCPIM)
        deliver(outgoing, to: binding, now: now) { outcome in
            self.deliveriesInFlight.remove(key)
            if outcome.isSuccess {
                chat.archive.delivered(messageID: message.id, to: recipient)
            } else {
                self.logDeliveryFailure(outcome, binding: binding, messageID: message.id)
            }
            completion(outcome)
        }
    }

    /// After a REGISTER that added or refreshed bindings: what was queued for the user goes to those
    /// devices, one message at a time and in order (RFC 3428 section 7 store-and-forward).
    func deliverQueued(to bindings: [Binding]) {
        guard let chat, let user = bindings.first?.aor.user else { return }
        chat.archive.pendingMessages(
            for: user, limit: Self.queuedDeliveryBatch,
            completion: backOnLoop { server, result in
                guard case .success(let messages) = result, !messages.isEmpty else { return }
                let more = messages.count == Self.queuedDeliveryBatch
                for binding in bindings { server.deliverInOrder(messages[...], to: binding, thenMore: more) }
            })
    }

    func deliverInOrder(_ messages: ArraySlice<StoredChatMessage>, to binding: Binding, thenMore: Bool) {
        guard let message = messages.first else {
            // A full batch went through: the queue may hold more.
            if thenMore { deliverQueued(to: [binding]) }
            return
        }
        guard
            registrar.location.bindings(for: binding.aor, now: wallClock()).contains(where: {
                $0.contact == binding.contact
            })
        else { return }
        deliverStored(message, to: binding, now: .now()) { outcome in
            // A device that refused or cannot be reached gets the rest at its next registration.
            if outcome.isSuccess { self.deliverInOrder(messages.dropFirst(), to: binding, thenMore: thenMore) }
        }
    }

    // MARK: Sending

    /// A completion for work done off the loop (the store): `body` runs back on the event loop, unless the
    /// server stopped meanwhile, and the timers it started are scheduled after it.
    func backOnLoop<Value: Sendable>(
        _ body: @escaping @Sendable (SIPServer, Value) -> Void
    ) -> @Sendable (Value) -> Void {
        let loop = eventLoop
        let loopBoundSelf = NIOLoopBound(self, eventLoop: loop)
        return { value in
            loop.execute {
                let server = loopBoundSelf.value
                guard !server.isStopped else { return }
                body(server, value)
                server.scheduleWakeup()
            }
        }
    }

    func deliver(
        _ outgoing: OutgoingChatMessage, to binding: Binding, now: NIODeadline,
        completion: @escaping (OwnRequestOutcome) -> Void
    ) {
        guard let target = target(for: binding) else { return completion(.noResponse(SIPStatus(503))) }
        var body = outgoing.body
        // RFC 3428 section 5: over UDP a MESSAGE stays under 1300 bytes (the path MTU is unknown); a longer
        // text is cut there, and says so. The whole message stays in the history.
        if target.destination.transport == .udp, outgoing.contentType.hasPrefix("text/plain"),
            body.utf8.count > Self.maxUDPTextBytes
        {
            body = Self.cut(body, toBytes: Self.maxUDPTextBytes - Self.cutNotice.utf8.count) + Self.cutNotice
        }
        guard
            let request = makeOwnRequest(
                .message, to: target, from: outgoing.from, toAddress: outgoing.to, contentType: outgoing.contentType,
                body: body)
        else { return completion(.noResponse(SIPStatus(503))) }
        sendOwnRequest(request, to: target.destination, now: now, completion: completion)
    }

    func logDeliveryFailure(_ outcome: OwnRequestOutcome, binding: Binding, messageID: Int64) {
        logger.debug(
            "message not delivered",
            metadata: [
                "sip.aor": "\(binding.aor)", "sip.contact": "\(binding.contact.uri)", "message": "\(messageID)",
                "status": "\(outcome.status.code)",
            ])
    }
}
