import Foundation
import SIPCore
import SIPTestKit
import Testing

/// INVITE dialogs through the proxy (RFC 3261 sections 12, 13 and 16), across WebSocket and UDP.
@Suite("Dialogs through the proxy", .serialized)
struct DialogTests {
    /// The route set a UAC builds from the Record-Route of a 2xx (RFC 3261 section 12.1.2: reversed).
    static func routeSet(of response: SIPResponse) throws -> [String] {
        try response.headers.recordRoute.reversed().map { "<\($0.uri)>" }
    }

    @Test func inviteFromWebSocketToUDPDeviceAndBye() async throws {
        let server = try await ParleyTestServer.start()
        defer { Task { await server.stop() } }
        let caller = try await server.registered(.wss, user: "alice")
        let callee = try await server.registered(.udp, user: "bob", account: "bob-desk")

        let callID = caller.uniqueToken()
        let fromTag = caller.uniqueToken()
        let invite = caller.makeRequest(
            .invite, uri: "sip:bob@localhost", from: "sip:alice@localhost", fromTag: fromTag, to: "sip:bob@localhost",
            callID: callID, cseq: 1, headers: [("Contact", "<\(caller.contactURI)>")],
            body: "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 9 RTP/AVP 0\r\n",
            contentType: "application/sdp")
        caller.send(text: invite)

        let arrived = try await callee.nextRequest(.invite)
        #expect(try arrived.headers.recordRoute.count == 2, "transport changes: double Record-Route (RFC 5658)")
        let calleeTag = callee.uniqueToken()
        let contact = [("Contact", "<sip:bob@\(callee.localAddress)>")]
        callee.reply(to: arrived, status: .ringing, toTag: calleeTag, headers: contact)
        callee.accept(arrived, toTag: calleeTag)

        let answer = try await caller.finalResponse(callID: callID, cseq: 1)
        #expect(answer.status == .ok)
        let routes = try Self.routeSet(of: answer)
        let remoteContact = try #require(try answer.headers.contact()?.addresses.first?.uri.description)

        // ACK and BYE follow the route set to the callee's contact (RFC 3261 section 12.2.1.1).
        let routeHeaders = routes.map { ("Route", $0) }
        caller.send(text: caller.makeRequest(
            .ack, uri: remoteContact, from: "sip:alice@localhost", fromTag: fromTag, to: "sip:bob@localhost",
            toTag: calleeTag, callID: callID, cseq: 1, headers: routeHeaders))
        let ack = try await callee.nextRequest(.ack)
        #expect(try ack.headers.callID?.value == callID)

        caller.send(text: caller.makeRequest(
            .bye, uri: remoteContact, from: "sip:alice@localhost", fromTag: fromTag, to: "sip:bob@localhost",
            toTag: calleeTag, callID: callID, cseq: 2, headers: routeHeaders))
        let bye = try await callee.nextRequest(.bye)
        callee.reply(to: bye, status: .ok, toTag: calleeTag)
        #expect(try await caller.finalResponse(callID: callID, cseq: 2).status == .ok)
        await caller.close()
        await callee.close()
    }

    @Test func calleeHangsUpTowardsTheWebSocket() async throws {
        let server = try await ParleyTestServer.start()
        defer { Task { await server.stop() } }
        let caller = try await server.registered(.wss, user: "alice")
        let callee = try await server.registered(.udp, user: "bob", account: "bob-desk")
        let callID = caller.uniqueToken()
        let fromTag = caller.uniqueToken()
        caller.send(text: caller.makeRequest(
            .invite, uri: "sip:bob@localhost", from: "sip:alice@localhost", fromTag: fromTag, to: "sip:bob@localhost",
            callID: callID, cseq: 1, headers: [("Contact", "<\(caller.contactURI)>")]))
        let arrived = try await callee.nextRequest(.invite)
        let calleeTag = callee.uniqueToken()
        callee.accept(arrived, toTag: calleeTag)
        #expect(try await caller.finalResponse(callID: callID, cseq: 1).status == .ok)

        // The callee's route set is the Record-Route in order (RFC 3261 section 12.1.1).
        let calleeRoutes = try arrived.headers.recordRoute.map { ("Route", "<\($0.uri)>") }
        let callerContact = try #require(try arrived.headers.contact()?.addresses.first?.uri.description)
        callee.send(text: callee.makeRequest(
            .bye, uri: callerContact, from: "sip:bob@localhost", fromTag: calleeTag, to: "sip:alice@localhost",
            toTag: fromTag, callID: callID, cseq: 1, headers: calleeRoutes))
        let bye = try await caller.nextRequest(.bye)
        caller.reply(to: bye, status: .ok, toTag: fromTag)
        #expect(try await callee.finalResponse(callID: callID, cseq: 1).status == .ok)
        await caller.close()
        await callee.close()
    }

    @Test func cancelStopsEveryBranch() async throws {
        let server = try await ParleyTestServer.start()
        defer { Task { await server.stop() } }
        let caller = try await server.registered(.ws, user: "alice")
        let desk = try await server.registered(.udp, user: "bob", account: "bob-desk")
        let laptop = try await server.registered(.tcp, user: "bob", account: "bob-laptop")
        let callID = caller.uniqueToken()
        let fromTag = caller.uniqueToken()
        let invite = caller.makeRequest(
            .invite, uri: "sip:bob@localhost", from: "sip:alice@localhost", fromTag: fromTag, to: "sip:bob@localhost",
            callID: callID, cseq: 1, headers: [("Contact", "<\(caller.contactURI)>")])
        caller.send(text: invite)
        var invites: [(SIPTestAgent, SIPRequest)] = []
        for agent in [desk, laptop] {
            let request = try await agent.nextRequest(.invite)
            agent.reply(to: request, status: .ringing, toTag: "ring-\(agent.transport)")
            invites.append((agent, request))
        }
        let ringing = try await caller.next { $0.response?.status == .ringing }
        #expect(ringing.response != nil)

        // RFC 3261 section 9.1: the CANCEL copies the INVITE's Request-URI, Call-ID, From, To, CSeq number
        // and its Via.
        let topVia = invite.split(separator: "\r\n").first { $0.hasPrefix("Via:") }!
        let cancel = [
            "CANCEL sip:bob@localhost SIP/2.0", String(topVia), "Max-Forwards: 70",
            "From: <sip:alice@localhost>;tag=\(fromTag)", "To: <sip:bob@localhost>", "Call-ID: \(callID)",
            "CSeq: 1 CANCEL", "Content-Length: 0",
        ].joined(separator: "\r\n") + "\r\n\r\n"
        caller.send(text: cancel)
        for (agent, request) in invites {
            let branchCancel = try await agent.nextRequest(.cancel)
            agent.reply(to: branchCancel, status: .ok, toTag: "ring-\(agent.transport)")
            agent.reply(to: request, status: SIPStatus(487), toTag: "ring-\(agent.transport)")
        }
        let final = try await caller.next { $0.response?.status.isFinal == true && (try? $0.headers.cseq)??.method == .invite }
        #expect(final.response?.status.code == 487)
        for agent in [caller, desk, laptop] { await agent.close() }
    }

    @Test func optionsToTheServerIsAnswered() async throws {
        let server = try await ParleyTestServer.start()
        defer { Task { await server.stop() } }
        for transport in [SIPTransportKind.udp, .tcp, .wss] {
            let agent = try await server.agent(transport)
            let callID = agent.uniqueToken()
            agent.send(text: agent.makeRequest(
                .options, uri: "sip:localhost", from: "sip:probe@example.org", fromTag: "p", to: "sip:localhost",
                callID: callID, cseq: 1))
            let response = try await agent.finalResponse(callID: callID, cseq: 1)
            #expect(response.status == .ok)
            #expect(response.headers.contains(.allow))
            await agent.close()
        }
    }
}
