import NIOCore
import SIPCore
import SIPTransactions
import Testing

/// RFC 3261 section 17.1.1 with RFC 6026 section 8.4, through the layer and on a virtual clock.
@Suite("INVITE client transaction")
struct ClientInviteTransactionTests {
    let peer = "udp:192.0.2.2:5060"

    @Test func timerARetransmitsWithDoublingIntervalsUntilTimerBOverUDP() throws {
        var clock = VirtualClock()
        var layer = TransactionLayer<String>()
        let invite = try TestMessages.request()
        let (id, first) = layer.send(request: invite, to: peer, reliable: false, now: clock.now)
        #expect(first == [LayerEvent.send(.request(invite), to: peer)])
        #expect(layer.nextDeadline == VirtualClock.at(.milliseconds(500)))

        let log = layer.run(clock: &clock, until: VirtualClock.at(.seconds(64)))
        let sends = log.filter { $0.event.sentMessage != nil }
        // Intervals 0.5, 1, 2, 4, 8 and 16 s: six retransmissions, seven sends in all.
        #expect(sends.map(\.at) == milliseconds(500, 1_500, 3_500, 7_500, 15_500, 31_500))
        let onlyTheInvite = sends.allSatisfy { $0.event == LayerEvent.send(.request(invite), to: peer) }
        #expect(onlyTheInvite)
        let rest = log.filter { $0.event.sentMessage == nil }
        #expect(
            rest == [
                TimedEvent(at: .seconds(32), event: .clientTimeout(id)),
                TimedEvent(at: .seconds(32), event: .clientTerminated(id)),
            ])
        #expect(layer.count.client == 0)
        #expect(layer.count.server == 0)
        #expect(layer.nextDeadline == nil)
    }

    @Test func reliableTransportNeverRetransmits() throws {
        var clock = VirtualClock()
        var layer = TransactionLayer<String>()
        let invite = try TestMessages.request(vias: ["SIP/2.0/TCP 192.0.2.1:5060;branch=z9hG4bK-tcp-1"])
        let (id, first) = layer.send(request: invite, to: peer, reliable: true, now: clock.now)
        #expect(first == [LayerEvent.send(.request(invite), to: peer)])
        let log = layer.run(clock: &clock, until: VirtualClock.at(.seconds(64)))
        #expect(
            log == [
                TimedEvent(at: .seconds(32), event: .clientTimeout(id)),
                TimedEvent(at: .seconds(32), event: .clientTerminated(id)),
            ])
    }

    @Test func provisionalStopsRetransmissions() throws {
        var clock = VirtualClock()
        var layer = TransactionLayer<String>()
        let invite = try TestMessages.request()
        let (id, _) = layer.send(request: invite, to: peer, reliable: false, now: clock.now)
        let early = layer.run(clock: &clock, until: VirtualClock.at(.milliseconds(700)))
        #expect(early.map(\.at) == milliseconds(500))

        let ringing = TestMessages.response(180, to: invite)
        let got1 = layer.receive(response: ringing, now: clock.now)
        #expect(got1 == [LayerEvent.response(ringing, id)])
        #expect(layer.clientInviteTransaction(id)?.state == ClientInviteTransaction.State.proceeding)
        // Neither Timer A nor Timer B runs in Proceeding; Timer C is the proxy core's.
        #expect(layer.nextDeadline == nil)
        let later = layer.run(clock: &clock, until: VirtualClock.at(.seconds(120)))
        #expect(later.isEmpty)
        #expect(layer.count.client == 1)

        // More provisionals still go up.
        let progress = TestMessages.response(183, to: invite)
        let got2 = layer.receive(response: progress, now: clock.now)
        #expect(got2 == [LayerEvent.response(progress, id)])
    }

    @Test func nonSuccessFinalIsAcknowledgedPerSection17_1_1_3() throws {
        var clock = VirtualClock()
        var layer = TransactionLayer<String>()
        let invite = try TestMessages.request(
            vias: [
                "SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-proxy-1",
                "SIP/2.0/TCP 198.51.100.7:5061;branch=z9hG4bK-uac-1;received=198.51.100.7",
            ],
            extra: ["Route: <sip:edge.example.com;lr>", "Route: <sip:core.example.com;lr>"])
        let (id, _) = layer.send(request: invite, to: peer, reliable: false, now: clock.now)
        clock.advance(by: .milliseconds(200))

        let busy = TestMessages.response(486, to: invite, toTag: "b1")
        let events = layer.receive(response: busy, now: clock.now)
        #expect(events.count == 2)
        let ack = try #require(events.first?.sentMessage?.request)
        #expect(events.first == LayerEvent.send(.request(ack), to: peer))
        #expect(events.last == LayerEvent.response(busy, id))

        #expect(ack.method == SIPMethod.ack)
        #expect(ack.uri == invite.uri)
        let ackVias = try ack.headers.via
        let inviteTopVia = try invite.headers.topVia
        #expect(ackVias.count == 1)
        #expect(ackVias.first == inviteTopVia)
        let ackTo = try ack.headers.to
        let busyTo = try busy.headers.to
        #expect(ackTo == busyTo)
        #expect(ackTo?.tag == Tag("b1"))
        let ackFrom = try ack.headers.from
        let inviteFrom = try invite.headers.from
        #expect(ackFrom == inviteFrom)
        let ackCallID = try ack.headers.callID
        #expect(ackCallID == CallID("call-1@192.0.2.1"))
        let ackCSeq = try ack.headers.cseq
        #expect(ackCSeq == CSeq(1, .ack))
        let ackRoute = try ack.headers.route
        let inviteRoute = try invite.headers.route
        #expect(ackRoute.count == 2)
        #expect(ackRoute == inviteRoute)
        let maxForwards = try ack.headers.maxForwards
        #expect(maxForwards == 70)
        #expect(ack.body.readableBytes == 0)
        #expect(layer.clientInviteTransaction(id)?.state == ClientInviteTransaction.State.completed)

        // Completed: a retransmitted 486 re-sends the same ACK and is not passed up.
        clock.advance(by: .seconds(1))
        let got1 = layer.receive(response: busy, now: clock.now)
        #expect(got1 == [LayerEvent.send(.request(ack), to: peer)])

        // No INVITE retransmissions in Completed; Timer D (32 s) ends the transaction.
        let log = layer.run(clock: &clock, until: VirtualClock.at(.seconds(60)))
        #expect(log == [TimedEvent(at: .milliseconds(32_200), event: .clientTerminated(id))])
        let got2 = layer.receive(response: busy, now: clock.now)
        #expect(got2 == [LayerEvent.strayResponse(busy)])
    }

    @Test func nonSuccessFinalOverReliableTransportTerminatesAtOnce() throws {
        let clock = VirtualClock()
        var layer = TransactionLayer<String>()
        let invite = try TestMessages.request(vias: ["SIP/2.0/TLS 192.0.2.1:5061;branch=z9hG4bK-tls-1"])
        let (id, _) = layer.send(request: invite, to: peer, reliable: true, now: clock.now)
        let decline = TestMessages.response(603, to: invite)
        let events = layer.receive(response: decline, now: clock.now)
        #expect(events.count == 3)
        #expect(events.first?.sentMessage?.request?.method == SIPMethod.ack)
        #expect(Array(events.dropFirst()) == [LayerEvent.response(decline, id), LayerEvent.clientTerminated(id)])
        #expect(layer.count.client == 0)
        #expect(layer.nextDeadline == nil)
    }

    @Test func successMovesToAcceptedAndPassesEvery2xxUpUntilTimerM() throws {
        var clock = VirtualClock()
        var layer = TransactionLayer<String>()
        let invite = try TestMessages.request()
        let (id, _) = layer.send(request: invite, to: peer, reliable: false, now: clock.now)
        _ = layer.run(clock: &clock, until: VirtualClock.at(.seconds(1)))

        let ok = TestMessages.response(200, to: invite, toTag: "b1")
        let got1 = layer.receive(response: ok, now: clock.now)
        #expect(got1 == [LayerEvent.response(ok, id)])
        #expect(layer.clientInviteTransaction(id)?.state == ClientInviteTransaction.State.accepted)

        // RFC 6026 section 8.4: retransmissions and other forks' 2xx go up too; the ACK is the TU's.
        clock.advance(by: .seconds(1))
        let got2 = layer.receive(response: ok, now: clock.now)
        #expect(got2 == [LayerEvent.response(ok, id)])
        let forked = TestMessages.response(200, to: invite, toTag: "b2")
        let got3 = layer.receive(response: forked, now: clock.now)
        #expect(got3 == [LayerEvent.response(forked, id)])
        let late = TestMessages.response(486, to: invite, toTag: "b3")
        let got4 = layer.receive(response: late, now: clock.now)
        #expect(got4.isEmpty)

        // No INVITE retransmission after the 2xx; Timer M (64*T1) from the first 2xx at 1 s.
        let log = layer.run(clock: &clock, until: VirtualClock.at(.seconds(120)))
        #expect(log == [TimedEvent(at: .seconds(33), event: .clientTerminated(id))])
        let got5 = layer.receive(response: ok, now: clock.now)
        #expect(got5 == [LayerEvent.strayResponse(ok)])
    }

    @Test func transportFailureIsReportedAndEndsTheTransaction() throws {
        let clock = VirtualClock()
        var layer = TransactionLayer<String>()
        let invite = try TestMessages.request()
        let (id, _) = layer.send(request: invite, to: peer, reliable: false, now: clock.now)
        let events = layer.transportFailed(id, now: clock.now)
        #expect(events == [LayerEvent.clientTransportError(id), LayerEvent.clientTerminated(id)])
        #expect(layer.count.client == 0)
        #expect(layer.nextDeadline == nil)
        let got1 = layer.transportFailed(id, now: clock.now)
        #expect(got1.isEmpty)
    }

    @Test func stateMachineCanBeDrivenOnItsOwn() throws {
        let invite = try TestMessages.request()
        var transaction = ClientInviteTransaction(request: invite, reliable: false)
        let start = VirtualClock.origin
        let actions = transaction.start(now: start)
        #expect(
            actions == [
                TransactionAction.send(.request(invite)),
                .startTimer(.a, at: start + .milliseconds(500)),
                .startTimer(.b, at: start + .seconds(32)),
            ])
        // A timer that is not due, or not running, does nothing.
        let got1 = transaction.fire(.a, now: start + .milliseconds(499))
        #expect(got1.isEmpty)
        let got2 = transaction.fire(.d, now: start + .seconds(40))
        #expect(got2.isEmpty)
        let retransmit = transaction.fire(.a, now: start + .milliseconds(500))
        #expect(
            retransmit == [TransactionAction.send(.request(invite)), .startTimer(.a, at: start + .milliseconds(1_500))])
        #expect(transaction.deadline(of: .b) == start + .seconds(32))
    }
}
