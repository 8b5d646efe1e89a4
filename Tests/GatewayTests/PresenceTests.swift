import Foundation
import SIPCore
import SIPServices
import SIPTestKit
import Storage
import Testing

/// Parley as presence server (RFC 3856): PUBLISH (RFC 3903), SUBSCRIBE/NOTIFY (RFC 6665) for one user and
/// for a buddy list (RFC 4662), composed from registrations, publications and calls; do-not-disturb.
@Suite("Presence", .serialized)
struct PresenceTests {
    /// Buddies may watch each other: everyone shares the lobby.
    static let everyoneInTheLobby = ["lobby": ["alice", "bob", "carol"]]

    /// A watcher: answers every NOTIFY 200 and keeps it for the test.
    static func answerNotifies(_ agent: SIPTestAgent) {
        agent.onMessage { message, agent in
            if let request = message.request, request.method == .notify || request.method == .message {
                agent.reply(to: request, status: .ok)
            }
            return false
        }
    }

    static func subscribe(
        _ agent: SIPTestAgent, user: String, to target: String, expires: Int = 600, extra: [(String, String)] = [],
        event: String = "presence"
    ) async throws -> (SIPResponse, callID: String, fromTag: String) {
        let callID = agent.uniqueToken()
        let fromTag = agent.uniqueToken()
        agent.send(
            text: agent.makeRequest(
                .subscribe, uri: "sip:\(target)@localhost", from: "sip:\(user)@localhost", fromTag: fromTag,
                to: "sip:\(target)@localhost", callID: callID, cseq: 1,
                headers: [
                    ("Event", event), ("Expires", "\(expires)"), ("Contact", "<\(agent.contactURI)>"),
                    ("Accept", "application/pidf+xml, application/rlmi+xml, multipart/related"),
                ] + extra))
        return (try await agent.finalResponse(callID: callID, cseq: 1), callID, fromTag)
    }

    static func publish(
        _ agent: SIPTestAgent, user: String, status: PresenceStatus?, ifMatch: String? = nil, expires: Int = 3600,
        event: String = "presence", about target: String? = nil
    ) async throws -> SIPResponse {
        let target = target ?? user
        let callID = agent.uniqueToken()
        var headers = [("Event", event), ("Expires", "\(expires)")]
        if let ifMatch { headers.append(("SIP-If-Match", ifMatch)) }
        agent.send(
            text: agent.makeRequest(
                .publish, uri: "sip:\(target)@localhost", from: "sip:\(user)@localhost", fromTag: agent.uniqueToken(),
                to: "sip:\(target)@localhost", callID: callID, cseq: 1, headers: headers,
                body: status.map { PIDFDocument.make(entity: "sip:\(user)@localhost", status: $0) } ?? "",
                contentType: status == nil ? nil : "application/pidf+xml"))
        return try await agent.finalResponse(callID: callID, cseq: 1)
    }

    /// The next NOTIFY's body read as PIDF.
    static func nextPresence(_ agent: SIPTestAgent) async throws -> (PresenceStatus, SIPRequest) {
        let notify = try await agent.nextRequest(.notify)
        return (try PIDFDocument.read(String(buffer: notify.body)), notify)
    }

    @Test func publicationsAndRegistrationsReachAWatcher() async throws {
        let server = try await ParleyTestServer.start(rooms: Self.everyoneInTheLobby)
        defer { Task { await server.stop() } }
        let watcher = try await server.registered(.tcp, user: "bob", account: "bob-desk") { Self.answerNotifies($0) }
        let (answer, _, _) = try await Self.subscribe(watcher, user: "bob", to: "alice")
        #expect(answer.status == .ok)
        #expect(answer.headers.first(.expires)?.valueString == "600")
        let (first, notify) = try await Self.nextPresence(watcher)
        #expect(!first.isOpen, "alice has no device registered")
        #expect(notify.headers.first(.subscriptionState)?.valueString.hasPrefix("active;expires=") == true)
        #expect(notify.headers.first(.event)?.valueString == "presence")
        #expect(try notify.headers.to?.tag?.value != nil && notify.headers.from?.tag == answer.headers.to?.tag)

        let alice = try await server.registered(.ws, user: "alice") { Self.answerNotifies($0) }
        #expect(try await Self.nextPresence(watcher).0 == PresenceStatus(isOpen: true))

        let busy = PresenceStatus(isOpen: true, manual: .busy, note: "in a <meeting> & more")
        let published = try await Self.publish(alice, user: "alice", status: busy)
        #expect(published.status == .ok)
        let entityTag = try #require(published.headers.first(.sipETag)?.valueString)
        #expect(published.headers.first(.expires)?.valueString == "3600")
        #expect(try await Self.nextPresence(watcher).0 == busy)

        // RFC 3903: a refresh without a body keeps the state under a new tag; an unknown tag is 412.
        let refreshed = try await Self.publish(alice, user: "alice", status: nil, ifMatch: entityTag)
        #expect(refreshed.status == .ok)
        #expect(refreshed.headers.first(.sipETag)?.valueString != entityTag)
        #expect(try await Self.publish(alice, user: "alice", status: nil, ifMatch: entityTag).status.code == 412)
        let brief = try await Self.publish(alice, user: "alice", status: busy, expires: 10)
        #expect(brief.status.code == 423)
        #expect(brief.headers.first(.minExpires)?.valueString == "60")
        #expect(try await Self.publish(alice, user: "alice", status: busy, event: "dialog").status.code == 489)
        #expect(try await Self.publish(alice, user: "alice", status: busy, about: "bob").status == .forbidden)
        await #expect(throws: (any Error).self) { try await watcher.nextRequest(.notify, timeout: .milliseconds(300)) }

        // Removing the publication brings back the plain "available".
        let newTag = try #require(refreshed.headers.first(.sipETag)?.valueString)
        #expect(try await Self.publish(alice, user: "alice", status: nil, ifMatch: newTag, expires: 0).status == .ok)
        #expect(try await Self.nextPresence(watcher).0 == PresenceStatus(isOpen: true))
        await alice.close()
        #expect(try await Self.nextPresence(watcher).0.isOpen == false, "the last device left")
        await watcher.close()
    }

    @Test func doNotDisturbRefusesCallsAndPrivateMessages() async throws {
        let server = try await ParleyTestServer.start(rooms: ["lobby": ["alice", "bob"]])
        defer { Task { await server.stop() } }
        let alice = try await server.registered(.tcp, user: "alice", account: "alice-phone") { Self.answerNotifies($0) }
        let bob = try await server.registered(.tcp, user: "bob", account: "bob-desk") { Self.answerNotifies($0) }
        let dnd = PresenceStatus(isOpen: true, manual: .doNotDisturb, note: "focus time")
        #expect(try await Self.publish(alice, user: "alice", status: dnd).status == .ok)

        let message = try await ChatMessagingTests.send("psst", from: bob, user: "bob", to: "alice")
        #expect(message.status == .temporarilyUnavailable)
        #expect(message.reasonPhrase.contains("does not want to be disturbed"))
        let callID = bob.uniqueToken()
        bob.send(
            text: bob.makeRequest(
                .invite, uri: "sip:alice@localhost", from: "sip:bob@localhost", fromTag: "c", to: "sip:alice@localhost",
                callID: callID, cseq: 1, headers: [("Contact", "<\(bob.contactURI)>")]))
        #expect(try await bob.finalResponse(callID: callID, cseq: 1).status == .temporarilyUnavailable)
        // The room still reaches her: do-not-disturb is about calls and private messages.
        #expect(try await ChatMessagingTests.send("hi room", from: bob, user: "bob", to: "lobby").status == .ok)
        #expect(String(buffer: try await alice.nextRequest(.message).body) == "bob: hi room")
        #expect(alice.pendingCount == 0, "no call or private message got through")
        await alice.close()
        await bob.close()
    }

    /// RFC 4662: one SUBSCRIBE for the members of the owner's rooms; full state first, then only changes.
    @Test func aBuddyListIsOneSubscription() async throws {
        let server = try await ParleyTestServer.start(rooms: ["lobby": ["alice", "bob", "carol"]])
        defer { Task { await server.stop() } }
        let alice = try await server.registered(.wss, user: "alice") { Self.answerNotifies($0) }
        let withoutSupport = try await Self.subscribe(alice, user: "alice", to: "alice+buddies")
        #expect(withoutSupport.0.status.code == 421)
        #expect(try await Self.subscribe(alice, user: "alice", to: "bob+buddies").0.status == .forbidden)

        let (answer, _, _) = try await Self.subscribe(
            alice, user: "alice", to: "alice+buddies", extra: [("Supported", "eventlist")])
        #expect(answer.status == .ok)
        #expect(answer.headers.first(.require)?.valueString == "eventlist")
        let full = try await alice.nextRequest(.notify)
        let fullBody = String(buffer: full.body)
        #expect(
            full.headers.first(.contentType)?.valueString.hasPrefix("multipart/related;type=\"application/rlmi+xml\"")
                == true)
        #expect(fullBody.contains("fullState=\"true\"") && fullBody.contains("version=\"1\""))
        #expect(fullBody.contains("uri=\"sip:bob@localhost\"") && fullBody.contains("uri=\"sip:carol@localhost\""))
        #expect(!fullBody.contains("uri=\"sip:alice@localhost\""), "the owner is not her own buddy")

        let bob = try await server.registered(.tcp, user: "bob", account: "bob-desk") { Self.answerNotifies($0) }
        let partial = String(buffer: try await alice.nextRequest(.notify).body)
        #expect(partial.contains("fullState=\"false\"") && partial.contains("version=\"2\""))
        #expect(partial.contains("uri=\"sip:bob@localhost\"") && !partial.contains("uri=\"sip:carol@localhost\""))
        #expect(partial.contains("<basic>open</basic>"))
        await alice.close()
        await bob.close()
    }

    /// A call through Parley turns both sides "on the phone" until the BYE.
    @Test func aCallPutsTheCalleeOnThePhone() async throws {
        let server = try await ParleyTestServer.start(rooms: Self.everyoneInTheLobby)
        defer { Task { await server.stop() } }
        let watcher = try await server.registered(.tcp, user: "carol", account: "carol-ws") { Self.answerNotifies($0) }
        _ = try await Self.subscribe(watcher, user: "carol", to: "bob")
        _ = try await Self.nextPresence(watcher)
        let caller = try await server.registered(.wss, user: "alice")
        let callee = try await server.registered(.udp, user: "bob", account: "bob-desk")
        #expect(try await Self.nextPresence(watcher).0 == PresenceStatus(isOpen: true))

        let callID = caller.uniqueToken()
        caller.send(
            text: caller.makeRequest(
                .invite, uri: "sip:bob@localhost", from: "sip:alice@localhost", fromTag: "a", to: "sip:bob@localhost",
                callID: callID, cseq: 1, headers: [("Contact", "<\(caller.contactURI)>")]))
        let invite = try await callee.nextRequest(.invite)
        callee.accept(invite, toTag: "b")
        let answer = try await caller.finalResponse(callID: callID, cseq: 1)
        #expect(answer.status == .ok)
        #expect(try await Self.nextPresence(watcher).0 == PresenceStatus(isOpen: true, onThePhone: true))

        let routes = try DialogTests.routeSet(of: answer).map { ("Route", $0) }
        let remote = try #require(try answer.headers.contact()?.addresses.first?.uri.description)
        caller.send(
            text: caller.makeRequest(
                .bye, uri: remote, from: "sip:alice@localhost", fromTag: "a", to: "sip:bob@localhost", toTag: "b",
                callID: callID, cseq: 2, headers: routes))
        let bye = try await callee.nextRequest(.bye)
        callee.reply(to: bye, status: .ok, toTag: "b")
        #expect(try await Self.nextPresence(watcher).0 == PresenceStatus(isOpen: true))
        for agent in [watcher, caller, callee] { await agent.close() }
    }

    /// A watcher that never answers its NOTIFYs (UDP, retransmitted for 32 s) does not hold up another's.
    @Test func aDeadWatcherDelaysNobody() async throws {
        let server = try await ParleyTestServer.start(rooms: Self.everyoneInTheLobby)
        defer { Task { await server.stop() } }
        let silent = try await server.agent(.udp)
        let registered = try await silent.register(
            aor: "sip:bob@localhost", username: "bob-desk", password: "desk-secret")
        #expect(registered.status == .ok)
        let callID = silent.uniqueToken()
        silent.send(
            text: silent.makeRequest(
                .subscribe, uri: "sip:alice@localhost", from: "sip:bob@localhost", fromTag: "s",
                to: "sip:alice@localhost",
                callID: callID, cseq: 1, headers: [("Event", "presence"), ("Contact", "<\(silent.contactURI)>")]))
        let challenge = try await silent.finalResponse(callID: callID, cseq: 1)
        #expect(challenge.status == .proxyAuthenticationRequired, "UDP is challenged; any answer will do to start")
        let subscribed = try await silent.sendAuthenticated(
            .subscribe, uri: "sip:alice@localhost", from: "sip:bob@localhost", to: "sip:alice@localhost",
            username: "bob-desk", password: "desk-secret",
            headers: [("Event", "presence"), ("Contact", "<\(silent.contactURI)>")])
        #expect(subscribed.status == .ok)

        let live = try await server.registered(.tcp, user: "carol", account: "carol-ws") { Self.answerNotifies($0) }
        _ = try await Self.subscribe(live, user: "carol", to: "alice")
        _ = try await Self.nextPresence(live)
        let alice = try await server.registered(.ws, user: "alice")
        let started = ContinuousClock.now
        #expect(try await Self.nextPresence(live).0.isOpen)
        #expect(ContinuousClock.now - started < .seconds(2))
        for agent in [silent, live, alice] { await agent.close() }
    }

    /// RFC 6665: a refresh gets 200 and a NOTIFY, an unsubscribe a last NOTIFY "terminated", and then the
    /// dialog is gone (481); only buddies may watch (RFC 3856 section 6.6); the Event id is echoed.
    @Test func refreshUnsubscribeAndWhoMayWatch() async throws {
        let server = try await ParleyTestServer.start(rooms: ["lobby": ["alice", "bob"]])
        defer { Task { await server.stop() } }
        let bob = try await server.registered(.tcp, user: "bob", account: "bob-desk") { Self.answerNotifies($0) }
        #expect(try await Self.subscribe(bob, user: "bob", to: "carol").0.status == .forbidden, "carol shares no room")

        let (answer, callID, fromTag) = try await Self.subscribe(bob, user: "bob", to: "alice", extra: [])
        let (_, first) = try await Self.nextPresence(bob)
        #expect(first.headers.first(.contact) != nil, "NOTIFY is a target refresh: it carries a Contact")
        let ourTag = try #require(answer.headers.to?.tag?.value)
        func inDialog(cseq: UInt32, expires: Int) -> String {
            bob.makeRequest(
                .subscribe, uri: String(first.headers.first(.contact)!.valueString.dropFirst().dropLast()),
                from: "sip:bob@localhost", fromTag: fromTag, to: "sip:alice@localhost", toTag: ourTag, callID: callID,
                cseq: cseq,
                headers: [("Event", "presence"), ("Expires", "\(expires)"), ("Contact", "<\(bob.contactURI)>")])
        }
        bob.send(text: inDialog(cseq: 2, expires: 600))
        #expect(try await bob.finalResponse(callID: callID, cseq: 2).status == .ok)
        #expect(try await Self.nextPresence(bob).0.isOpen == false, "a refresh is answered with the state again")
        bob.send(text: inDialog(cseq: 3, expires: 0))
        #expect(try await bob.finalResponse(callID: callID, cseq: 3).status == .ok)
        let last = try await bob.nextRequest(.notify)
        #expect(last.headers.first(.subscriptionState)?.valueString.hasPrefix("terminated") == true)
        bob.send(text: inDialog(cseq: 4, expires: 600))
        #expect(try await bob.finalResponse(callID: callID, cseq: 4).status == .callDoesNotExist)

        // Event ids are echoed, so two subscriptions in one dialog stay apart (RFC 6665 section 8.2.1).
        #expect(try await Self.subscribe(bob, user: "bob", to: "alice", event: "presence;id=7").0.status == .ok)
        #expect(try await bob.nextRequest(.notify).headers.first(.event)?.valueString == "presence;id=7")
        await bob.close()
    }

    /// Someone joining a room appears in the other members' buddy lists without any presence change.
    @Test func aJoinReachesBuddyListWatchers() async throws {
        let server = try await ParleyTestServer.start(rooms: ["lobby": ["alice", "bob"]])
        defer { Task { await server.stop() } }
        let alice = try await server.registered(.wss, user: "alice") { Self.answerNotifies($0) }
        _ = try await Self.subscribe(alice, user: "alice", to: "alice+buddies", extra: [("Supported", "eventlist")])
        let full = String(buffer: try await alice.nextRequest(.notify).body)
        #expect(full.contains("uri=\"sip:bob@localhost\"") && !full.contains("uri=\"sip:carol@localhost\""))
        let carol = try await server.registered(.tcp, user: "carol", account: "carol-ws") { Self.answerNotifies($0) }
        #expect(try await ChatMessagingTests.send("/join", from: carol, user: "carol", to: "lobby").status == .ok)
        let partial = String(buffer: try await alice.nextRequest(.notify).body)
        #expect(partial.contains("fullState=\"false\"") && partial.contains("uri=\"sip:carol@localhost\""))
        await alice.close()
        await carol.close()
    }

    /// The watcher must accept PIDF (406 otherwise); a removed user's watchers hear "noresource".
    @Test func acceptAndRemovedUsers() async throws {
        let server = try await ParleyTestServer.start(rooms: Self.everyoneInTheLobby)
        defer { Task { await server.stop() } }
        let bob = try await server.registered(.tcp, user: "bob", account: "bob-desk") { Self.answerNotifies($0) }
        let callID = bob.uniqueToken()
        bob.send(
            text: bob.makeRequest(
                .subscribe, uri: "sip:carol@localhost", from: "sip:bob@localhost", fromTag: "a",
                to: "sip:carol@localhost",
                callID: callID, cseq: 1,
                headers: [("Event", "presence"), ("Accept", "text/plain"), ("Contact", "<\(bob.contactURI)>")]))
        let refused = try await bob.finalResponse(callID: callID, cseq: 1)
        #expect(refused.status.code == 406)
        #expect(refused.headers.first(.accept)?.valueString == "application/pidf+xml")

        #expect(try await Self.subscribe(bob, user: "bob", to: "carol").0.status == .ok)
        _ = try await Self.nextPresence(bob)
        try ParleyStore(dataDirectory: server.dataDirectory).removeUser(name: "carol", domain: "localhost")
        let last = try await bob.nextRequest(.notify)
        #expect(last.headers.first(.subscriptionState)?.valueString == "terminated;reason=noresource")
        await bob.close()
    }
}
