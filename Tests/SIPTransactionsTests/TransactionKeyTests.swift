import NIOCore
import SIPCore
import SIPTransactions
import Testing

/// RFC 3261 section 17.2.3 and 17.1.3 matching, section 9.2 CANCEL matching.
@Suite("Transaction matching")
struct TransactionKeyTests {
    let peer = "udp:192.0.2.1:5060"

    @Test func branchAndSentByHostCompareCaseInsensitively() throws {
        // RFC 3261 section 7.3.1: parameter values and tokens are case-insensitive unless the header says
        // otherwise, and section 20.42 says nothing else of branch; host names compare case-insensitively.
        let invite = try TestMessages.request(vias: ["SIP/2.0/UDP Client.Example.COM:5060;branch=z9hG4bKAbCdEf"])
        let retransmission = try TestMessages.request(
            vias: ["SIP/2.0/UDP client.example.com:5060;BRANCH=z9hG4bKaBcDeF"])
        #expect(TransactionKey.server(for: invite) == TransactionKey.server(for: retransmission))

        var layer = TransactionLayer<String>()
        let clock = VirtualClock()
        let events = layer.receive(request: invite, from: peer, reliable: false, now: clock.now)
        let id = try #require(events.first?.newServerTransaction)
        let ringing = TestMessages.response(180, to: invite)
        _ = layer.respond(ringing, to: id, now: clock.now)
        let got1 = layer.receive(request: retransmission, from: peer, reliable: false, now: clock.now)
        #expect(got1 == [LayerEvent.send(.response(ringing), to: peer)])
        #expect(layer.count.server == 1)
    }

    @Test func clientMatchingUsesBranchCaseInsensitivelyAndTheCSeqMethod() throws {
        let clock = VirtualClock()
        var layer = TransactionLayer<String>()
        let options = try TestMessages.request("OPTIONS", vias: ["SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-MiXeD"])
        let (id, _) = layer.send(request: options, to: peer, reliable: false, now: clock.now)
        let plain = try TestMessages.request("OPTIONS")
        let echoed = TestMessages.with(via: "SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-mixed", plain)
        let ok = TestMessages.response(200, to: echoed)
        #expect(TransactionKey.client(for: ok) == TransactionKey.client(for: options))
        let got1 = layer.receive(response: ok, now: clock.now)
        #expect(got1 == [LayerEvent.response(ok, id)])
    }

    @Test func sentByPortMethodAndBranchSeparateTransactions() throws {
        let base = try TestMessages.request()
        let key = try #require(TransactionKey.server(for: base))
        let otherPort = try TestMessages.request(vias: ["SIP/2.0/UDP 192.0.2.1:5070;branch=z9hG4bK-alice-1"])
        let otherBranch = try TestMessages.request(vias: ["SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-alice-2"])
        let cancel = try TestMessages.request("CANCEL")
        let ack = try TestMessages.request("ACK", to: "<sip:bob@example.com>;tag=b1")
        #expect(TransactionKey.server(for: otherPort) != key)
        #expect(TransactionKey.server(for: otherBranch) != key)
        // CANCEL has its own transaction (section 9.2); ACK belongs to the INVITE's (section 17.2.3).
        #expect(TransactionKey.server(for: cancel) != key)
        #expect(TransactionKey.server(for: ack) == key)
        #expect(key.method == SIPMethod.invite)
    }

    @Test func cancelFindsTheInviteAndGetsItsOwnTransaction() throws {
        let clock = VirtualClock()
        var layer = TransactionLayer<String>()
        let invite = try TestMessages.request()
        let got1 = layer.receive(request: invite, from: peer, reliable: false, now: clock.now)
        let inviteID = try #require(got1.first?.newServerTransaction)
        _ = layer.respond(TestMessages.response(180, to: invite), to: inviteID, now: clock.now)

        let cancel = try TestMessages.request("CANCEL")
        #expect(layer.serverTransaction(matchingCancel: cancel) == inviteID)
        #expect(layer.isInviteServerTransactionProceeding(inviteID))
        let events = layer.receive(request: cancel, from: peer, reliable: false, now: clock.now)
        let cancelID = try #require(events.first?.newServerTransaction)
        #expect(cancelID != inviteID)
        #expect(events == [LayerEvent.request(cancel, cancelID, from: peer)])
        #expect(layer.count.server == 2)

        // The TU answers the CANCEL with 200 and the INVITE with 487 (RFC 3261 section 9.2).
        let cancelled = TestMessages.response(200, to: cancel)
        let got2 = layer.respond(cancelled, to: cancelID, now: clock.now)
        #expect(got2 == [LayerEvent.send(.response(cancelled), to: peer)])
        let original = try #require(layer.request(of: inviteID))
        let terminated = TestMessages.response(487, to: original)
        let sent = layer.respond(terminated, to: inviteID, now: clock.now)
        #expect(sent == [LayerEvent.send(.response(terminated), to: peer)])
        #expect(!layer.isInviteServerTransactionProceeding(inviteID))

        let unrelated = try TestMessages.request("CANCEL", vias: ["SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-zzz"])
        #expect(layer.serverTransaction(matchingCancel: unrelated) == nil)
    }

    @Test func rfc2543RequestsMatchWithoutTheCookie() throws {
        let clock = VirtualClock()
        var layer = TransactionLayer<String>()
        let via = "SIP/2.0/UDP 192.0.2.9:5060"
        let invite = try TestMessages.request(vias: [via])
        let got1 = layer.receive(request: invite, from: peer, reliable: false, now: clock.now)
        let id = try #require(got1.first?.newServerTransaction)
        let busy = TestMessages.response(486, to: invite, toTag: "b7")
        _ = layer.respond(busy, to: id, now: clock.now)
        let got2 = layer.receive(request: invite, from: peer, reliable: false, now: clock.now)
        #expect(got2 == [LayerEvent.send(.response(busy), to: peer)])

        // The ACK carries our To tag and matches the INVITE by Request-URI, From tag, Call-ID, CSeq number
        // and top Via.
        let ack = try TestMessages.request("ACK", vias: [via], to: "<sip:bob@example.com>;tag=b7")
        let got3 = layer.receive(request: ack, from: peer, reliable: false, now: clock.now)
        #expect(got3.isEmpty)
        #expect(layer.serverInviteTransaction(id)?.state == ServerInviteTransaction.State.confirmed)

        // CANCEL matching works the same way.
        let second = try TestMessages.request(vias: [via], callID: "call-2@192.0.2.9")
        let got4 = layer.receive(request: second, from: peer, reliable: false, now: clock.now)
        let secondID = try #require(got4.first?.newServerTransaction)
        let cancel = try TestMessages.request("CANCEL", vias: [via], callID: "call-2@192.0.2.9")
        #expect(layer.serverTransaction(matchingCancel: cancel) == secondID)

        // Another CSeq is another transaction.
        let next = try TestMessages.request(vias: [via], cseq: 2)
        let nextEvents = layer.receive(request: next, from: peer, reliable: false, now: clock.now)
        #expect(nextEvents.first?.newServerTransaction != nil)
        #expect(layer.count.server == 3)
    }

    @Test func ackWithoutTransactionIsStray() throws {
        let clock = VirtualClock()
        var layer = TransactionLayer<String>()
        let ack = try TestMessages.request("ACK", to: "<sip:bob@example.com>;tag=b1")
        let events = layer.receive(request: ack, from: peer, reliable: false, now: clock.now)
        #expect(events == [LayerEvent.strayACK(ack, from: peer)])
        #expect(layer.count.server == 0)
    }
}
