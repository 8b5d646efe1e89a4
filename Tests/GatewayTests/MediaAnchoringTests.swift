import Foundation
import SDP
import SIPCore
import SIPTestKit
import Testing

/// SDP anchoring in the proxy with scripted agents (the media itself is in MediaCallTests): one session
/// per branch, the losing branch freed, re-INVITE keeping the ports, BYE freeing everything, 488 for an
/// offer that cannot be bridged.
@Suite("Media anchoring in the proxy", .serialized)
struct MediaAnchoringTests {
    static let fingerprint = (0..<32).map { String(format: "%02X", $0 * 7 % 256) }.joined(separator: ":")

    /// A browser-like offer (RFC 8829 shape): ICE credentials, DTLS fingerprint, actpass, rtcp-mux, Opus.
    static func webOffer(direction: String = "sendrecv", version: Int = 1, fingerprint: Bool = true) -> String {
        var lines = [
            "v=0", "o=- 4611731400430051336 \(version) IN IP4 127.0.0.1", "s=-", "t=0 0", "a=group:BUNDLE 0",
            "m=audio 9 UDP/TLS/RTP/SAVPF 111 0 126", "c=IN IP4 0.0.0.0", "a=mid:0", "a=ice-ufrag:Ab12",
            "a=ice-pwd:0123456789abcdefghijkl", "a=setup:actpass", "a=rtcp-mux", "a=\(direction)",
            "a=rtpmap:111 opus/48000/2", "a=fmtp:111 minptime=10;useinbandfec=1", "a=rtpmap:0 PCMU/8000",
            "a=rtpmap:126 telephone-event/8000",
            "a=candidate:1 1 udp 2130706431 127.0.0.1 50000 typ host",
        ]
        if fingerprint { lines.insert("a=fingerprint:sha-256 \(Self.fingerprint)", at: 8) }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    static func deviceAnswer(port: Int, direction: String = "sendrecv") -> String {
        [
            "v=0", "o=bob 1 1 IN IP4 127.0.0.1", "s=-", "c=IN IP4 127.0.0.1", "t=0 0",
            "m=audio \(port) RTP/AVP 0 101", "a=rtpmap:0 PCMU/8000", "a=rtpmap:101 telephone-event/8000",
            "a=fmtp:101 0-16", "a=ptime:20", "a=\(direction)",
        ].joined(separator: "\r\n") + "\r\n"
    }

    static func sdp(of request: SIPRequest) throws -> SessionDescription {
        try SessionDescription.parse(request.body.getString(at: request.body.readerIndex, length: request.body.readableBytes) ?? "")
    }

    static func sdp(of response: SIPResponse) throws -> SessionDescription {
        try SessionDescription.parse(response.body.getString(at: response.body.readerIndex, length: response.body.readableBytes) ?? "")
    }

    static func waitForUsage(_ server: ParleyTestServer, sessions: Int) async throws -> (sessions: Int, ports: Int) {
        var usage = await server.gateway.mediaUsage()
        for _ in 0..<100 where usage.sessions != sessions {
            try await Task.sleep(for: .milliseconds(20))
            usage = await server.gateway.mediaUsage()
        }
        return usage
    }

    @Test func eachBranchIsAnchoredAndTheLoserFreed() async throws {
        let server = try await ParleyTestServer.start(mediaPorts: 38_000...38_099)
        defer { Task { await server.stop() } }
        let caller = try await server.registered(.wss, user: "alice")
        let desk = try await server.registered(.udp, user: "bob", account: "bob-desk")
        let laptop = try await server.registered(.tcp, user: "bob", account: "bob-laptop")
        let callID = caller.uniqueToken()
        let fromTag = caller.uniqueToken()
        caller.send(text: caller.makeRequest(
            .invite, uri: "sip:bob@localhost", from: "sip:alice@localhost", fromTag: fromTag, to: "sip:bob@localhost",
            callID: callID, cseq: 1, headers: [("Contact", "<\(caller.contactURI)>")], body: Self.webOffer(),
            contentType: "application/sdp"))

        // Each device gets its own plain RTP offer on Parley's ports.
        let deskInvite = try await desk.nextRequest(.invite)
        let laptopInvite = try await laptop.nextRequest(.invite)
        var offeredPorts: [UInt16] = []
        for invite in [deskInvite, laptopInvite] {
            let offer = try Self.sdp(of: invite)
            let audio = try #require(offer.media.first)
            #expect(audio.proto == "RTP/AVP")
            #expect(audio.formats.prefix(2) == ["0", "8"])
            #expect(offer.connection?.address == "127.0.0.1")
            #expect((38_000...38_099).contains(Int(audio.port)))
            offeredPorts.append(audio.port)
        }
        #expect(offeredPorts[0] != offeredPorts[1])
        #expect(try await Self.waitForUsage(server, sessions: 2).sessions == 2)

        laptop.reply(to: laptopInvite, status: .ringing, toTag: "laptop")
        desk.accept(deskInvite, toTag: "desk", body: Self.deviceAnswer(port: 40_000))
        let answer = try await caller.finalResponse(callID: callID, cseq: 1)
        #expect(answer.status == .ok)
        let webAnswer = try Self.sdp(of: answer)
        let audio = try #require(webAnswer.media.first)
        // RFC 8839 / 8842 / 5761: ICE-lite, passive, a fingerprint, rtcp-mux, the offer's Opus payload type.
        #expect(webAnswer.attributes.contains { $0.name == "ice-lite" })
        #expect(audio.attributes.contains { $0.name == "setup" && $0.value == "passive" })
        #expect(audio.attributes.contains { $0.name == "fingerprint" && $0.value?.hasPrefix("sha-256 ") == true })
        #expect(audio.attributes.contains { $0.name == "rtcp-mux" })
        #expect(audio.formats.first == "111")
        #expect(audio.attributes.contains { $0.name == "candidate" && $0.value?.contains("127.0.0.1 \(audio.port) typ host") == true })

        // The laptop's branch is cancelled; its session goes.
        let cancel = try await laptop.nextRequest(.cancel)
        laptop.reply(to: cancel, status: .ok, toTag: "laptop")
        laptop.reply(to: laptopInvite, status: SIPStatus(487), toTag: "laptop")
        #expect(try await Self.waitForUsage(server, sessions: 1).sessions == 1)

        // ACK, then a re-INVITE for hold: same ports, sendonly to the device, recvonly back.
        let routes = try answer.headers.recordRoute.reversed().map { ("Route", "<\($0.uri)>") }
        let target = try #require(try answer.headers.contact()?.addresses.first?.uri.description)
        caller.send(text: caller.makeRequest(
            .ack, uri: target, from: "sip:alice@localhost", fromTag: fromTag, to: "sip:bob@localhost", toTag: "desk",
            callID: callID, cseq: 1, headers: routes))
        _ = try await desk.nextRequest(.ack)
        caller.send(text: caller.makeRequest(
            .invite, uri: target, from: "sip:alice@localhost", fromTag: fromTag, to: "sip:bob@localhost", toTag: "desk",
            callID: callID, cseq: 2, headers: routes + [("Contact", "<\(caller.contactURI)>")],
            body: Self.webOffer(direction: "sendonly", version: 2), contentType: "application/sdp"))
        let reinvite = try await desk.nextRequest(.invite)
        let holdOffer = try Self.sdp(of: reinvite)
        #expect(holdOffer.media.first?.port == offeredPorts[0])
        #expect(holdOffer.media.first?.attributes.contains { $0.name == "sendonly" } == true)
        #expect((UInt64(holdOffer.origin.sessionVersion) ?? 0) > 1)
        desk.accept(reinvite, toTag: "desk", body: Self.deviceAnswer(port: 40_000, direction: "recvonly"))
        let holdAnswer = try await caller.finalResponse(callID: callID, cseq: 2)
        let held = try Self.sdp(of: holdAnswer)
        #expect(held.media.first?.port == audio.port)
        #expect(held.media.first?.attributes.contains { $0.name == "recvonly" } == true)
        #expect(try await Self.waitForUsage(server, sessions: 1).sessions == 1)

        caller.send(text: caller.makeRequest(
            .bye, uri: target, from: "sip:alice@localhost", fromTag: fromTag, to: "sip:bob@localhost", toTag: "desk",
            callID: callID, cseq: 3, headers: routes))
        let bye = try await desk.nextRequest(.bye)
        desk.reply(to: bye, status: .ok, toTag: "desk")
        _ = try await caller.finalResponse(callID: callID, cseq: 3)
        let usage = try await Self.waitForUsage(server, sessions: 0)
        #expect(usage.sessions == 0)
        for _ in 0..<50 where await server.gateway.mediaUsage().ports != 0 { try await Task.sleep(for: .milliseconds(20)) }
        #expect(await server.gateway.mediaUsage().ports == 0)
        for agent in [caller, desk, laptop] { await agent.close() }
    }

    @Test func aWebRTCOfferWithoutFingerprintGets488() async throws {
        let server = try await ParleyTestServer.start(mediaPorts: 38_100...38_199)
        defer { Task { await server.stop() } }
        let caller = try await server.registered(.wss, user: "alice")
        let desk = try await server.registered(.udp, user: "bob", account: "bob-desk")
        let callID = caller.uniqueToken()
        caller.send(text: caller.makeRequest(
            .invite, uri: "sip:bob@localhost", from: "sip:alice@localhost", fromTag: caller.uniqueToken(),
            to: "sip:bob@localhost", callID: callID, cseq: 1, headers: [("Contact", "<\(caller.contactURI)>")],
            body: Self.webOffer(fingerprint: false), contentType: "application/sdp"))
        let final = try await caller.finalResponse(callID: callID, cseq: 1)
        #expect(final.status.code == 488)
        #expect(final.reasonPhrase.contains("fingerprint"))
        #expect(await server.gateway.mediaUsage() == (0, 0))
        for agent in [caller, desk] { await agent.close() }
    }
}

extension MediaAnchoringTests {
    /// RFC 3264 section 5 delayed offer: a device's INVITE without SDP, the browser's offer in the 200
    /// (rewritten to plain RTP for the device), the device's answer in the ACK (rewritten to WebRTC).
    @Test func aDelayedOfferIsAnchoredThroughTheACK() async throws {
        let server = try await ParleyTestServer.start(mediaPorts: 38_200...38_299)
        defer { Task { await server.stop() } }
        let browser = try await server.registered(.wss, user: "alice")
        // Over TCP: the connection that registered is the device's proof of identity (no 407 to answer).
        let device = try await server.registered(.tcp, user: "bob", account: "bob-laptop")
        let callID = device.uniqueToken()
        let fromTag = device.uniqueToken()
        device.send(text: device.makeRequest(
            .invite, uri: "sip:alice@localhost", from: "sip:bob@localhost", fromTag: fromTag, to: "sip:alice@localhost",
            callID: callID, cseq: 1, headers: [("Contact", "<sip:bob@\(device.localAddress)>")]))
        let invite = try await browser.nextRequest(.invite)
        #expect(invite.body.readableBytes == 0)
        browser.accept(invite, toTag: "web", body: Self.webOffer())

        let ok = try await device.finalResponse(callID: callID, cseq: 1)
        #expect(ok.status == .ok)
        let offer = try Self.sdp(of: ok)
        let offered = try #require(offer.media.first)
        #expect(offered.proto == "RTP/AVP")
        #expect((38_200...38_299).contains(Int(offered.port)))

        let routes = try ok.headers.recordRoute.reversed().map { ("Route", "<\($0.uri)>") }
        let target = try #require(try ok.headers.contact()?.addresses.first?.uri.description)
        device.send(text: device.makeRequest(
            .ack, uri: target, from: "sip:bob@localhost", fromTag: fromTag, to: "sip:alice@localhost", toTag: "web",
            callID: callID, cseq: 1, headers: routes, body: Self.deviceAnswer(port: 40_002),
            contentType: "application/sdp"))
        let ack = try await browser.nextRequest(.ack)
        let answer = try Self.sdp(of: ack)
        let answered = try #require(answer.media.first)
        #expect(answered.proto == "UDP/TLS/RTP/SAVPF")
        #expect(answer.attributes.contains { $0.name == "ice-lite" })
        #expect(answered.attributes.contains { $0.name == "setup" && $0.value == "passive" })
        #expect(answered.formats.first == "111")
        #expect(await server.gateway.mediaUsage().sessions == 1)

        device.send(text: device.makeRequest(
            .bye, uri: target, from: "sip:bob@localhost", fromTag: fromTag, to: "sip:alice@localhost", toTag: "web",
            callID: callID, cseq: 2, headers: routes))
        let bye = try await browser.nextRequest(.bye)
        browser.reply(to: bye, status: .ok, toTag: "web")
        _ = try await device.finalResponse(callID: callID, cseq: 2)
        #expect(try await Self.waitForUsage(server, sessions: 0).sessions == 0)
        for agent in [browser, device] { await agent.close() }
    }
}

extension MediaAnchoringTests {
    /// A re-INVITE without SDP in an anchored dialog: the callee's offer in the 200 is rewritten for the
    /// caller's leg, and the answer in the ACK for the callee's, on the same session and ports.
    @Test func aReINVITEWithoutSDPKeepsTheAnchor() async throws {
        let server = try await ParleyTestServer.start(mediaPorts: 38_300...38_399)
        defer { Task { await server.stop() } }
        let caller = try await server.registered(.wss, user: "alice")
        let desk = try await server.registered(.udp, user: "bob", account: "bob-desk")
        let callID = caller.uniqueToken()
        let fromTag = caller.uniqueToken()
        caller.send(text: caller.makeRequest(
            .invite, uri: "sip:bob@localhost", from: "sip:alice@localhost", fromTag: fromTag, to: "sip:bob@localhost",
            callID: callID, cseq: 1, headers: [("Contact", "<\(caller.contactURI)>")], body: Self.webOffer(),
            contentType: "application/sdp"))
        let invite = try await desk.nextRequest(.invite)
        let devicePort = try #require(try Self.sdp(of: invite).media.first?.port)
        desk.accept(invite, toTag: "desk", body: Self.deviceAnswer(port: 40_000))
        let answer = try await caller.finalResponse(callID: callID, cseq: 1)
        let webPort = try #require(try Self.sdp(of: answer).media.first?.port)
        let routes = try answer.headers.recordRoute.reversed().map { ("Route", "<\($0.uri)>") }
        let target = try #require(try answer.headers.contact()?.addresses.first?.uri.description)
        caller.send(text: caller.makeRequest(
            .ack, uri: target, from: "sip:alice@localhost", fromTag: fromTag, to: "sip:bob@localhost", toTag: "desk",
            callID: callID, cseq: 1, headers: routes))
        _ = try await desk.nextRequest(.ack)

        // The browser refreshes the session without an offer.
        caller.send(text: caller.makeRequest(
            .invite, uri: target, from: "sip:alice@localhost", fromTag: fromTag, to: "sip:bob@localhost", toTag: "desk",
            callID: callID, cseq: 2, headers: routes + [("Contact", "<\(caller.contactURI)>")]))
        let reinvite = try await desk.nextRequest(.invite)
        #expect(reinvite.body.readableBytes == 0)
        desk.accept(reinvite, toTag: "desk", body: Self.deviceAnswer(port: 40_000))
        let ok = try await caller.finalResponse(callID: callID, cseq: 2)
        let offer = try Self.sdp(of: ok)
        #expect(offer.media.first?.proto == "UDP/TLS/RTP/SAVPF")
        #expect(offer.media.first?.port == webPort)
        caller.send(text: caller.makeRequest(
            .ack, uri: target, from: "sip:alice@localhost", fromTag: fromTag, to: "sip:bob@localhost", toTag: "desk",
            callID: callID, cseq: 2, headers: routes, body: Self.webOffer(version: 2).replacingOccurrences(of: "a=setup:actpass", with: "a=setup:active"),
            contentType: "application/sdp"))
        let ack = try await desk.nextRequest(.ack)
        let deviceAnswer = try Self.sdp(of: ack)
        #expect(deviceAnswer.media.first?.proto == "RTP/AVP")
        #expect(deviceAnswer.media.first?.port == devicePort)
        #expect(await server.gateway.mediaUsage().sessions == 1)
        for agent in [caller, desk] { await agent.close() }
    }
}
