import NIOCore
import SIPCore
import SIPTransactions
import Testing

/// RFC 3261 section 17.2.1 with RFC 6026 section 8.7, through the layer and on a virtual clock.
@Suite("INVITE server transaction")
struct ServerInviteTransactionTests {
    let peer = "udp:192.0.2.1:5060"

    /// Feeds `invite` to `layer` at time 0 and returns the new transaction.
    private func receiveNew(
        _ invite: SIPRequest, into layer: inout TransactionLayer<String>, reliable: Bool = false
    ) throws -> ServerTransactionID {
        let events = layer.receive(request: invite, from: peer, reliable: reliable, now: VirtualClock.origin)
        let id = try #require(events.first?.newServerTransaction)
        #expect(events == [LayerEvent.request(invite, id, from: peer)])
        return id
    }

    private func makeACK(toTag: String = "b1", branch: String = "z9hG4bK-alice-1") throws -> SIPRequest {
        try TestMessages.request(
            "ACK", vias: ["SIP/2.0/UDP 192.0.2.1:5060;branch=\(branch)"], to: "<sip:bob@example.com>;tag=\(toTag)")
    }

    @Test func retransmittedInviteGetsTheLastProvisional() throws {
        let clock = VirtualClock()
        let invite = try TestMessages.request()
        var layer = TransactionLayer<String>()
        let id = try receiveNew(invite, into: &layer)
        #expect(layer.isInviteServerTransactionProceeding(id))
        #expect(layer.request(of: id) == invite)
        #expect(layer.source(of: id) == peer)
        // No automatic 100 (Trying): the TU sends it.
        #expect(layer.nextDeadline == nil)
        let got1 = layer.receive(request: invite, from: peer, reliable: false, now: clock.now)
        #expect(got1.isEmpty)

        let trying = TestMessages.response(100, to: invite, toTag: nil)
        let got2 = layer.respond(trying, to: id, now: clock.now)
        #expect(got2 == [LayerEvent.send(.response(trying), to: peer)])
        let ringing = TestMessages.response(180, to: invite)
        let got3 = layer.respond(ringing, to: id, now: clock.now)
        #expect(got3 == [LayerEvent.send(.response(ringing), to: peer)])
        let got4 = layer.receive(request: invite, from: peer, reliable: false, now: clock.now)
        #expect(got4 == [LayerEvent.send(.response(ringing), to: peer)])
        #expect(layer.count.server == 1)
        #expect(layer.isInviteServerTransactionProceeding(id))
    }

    @Test func timerGRetransmitsTheFinalUntilTheACKThenTimerI() throws {
        var clock = VirtualClock()
        let invite = try TestMessages.request()
        var layer = TransactionLayer<String>()
        let id = try receiveNew(invite, into: &layer)
        let busy = TestMessages.response(486, to: invite)
        let got1 = layer.respond(busy, to: id, now: clock.now)
        #expect(got1 == [LayerEvent.send(.response(busy), to: peer)])
        #expect(!layer.isInviteServerTransactionProceeding(id))

        let retransmissions = layer.run(clock: &clock, until: VirtualClock.at(.seconds(4)))
        #expect(retransmissions.map(\.at) == milliseconds(500, 1_500, 3_500))
        let onlyTheFinal = retransmissions.allSatisfy { $0.event == LayerEvent.send(.response(busy), to: peer) }
        #expect(onlyTheFinal)
        // Completed: the INVITE again gets the final again.
        let got2 = layer.receive(request: invite, from: peer, reliable: false, now: clock.now)
        #expect(got2 == [LayerEvent.send(.response(busy), to: peer)])

        // The ACK is absorbed: Confirmed, no more retransmissions, Timer I (T4).
        let ack = try makeACK()
        let got3 = layer.receive(request: ack, from: peer, reliable: false, now: clock.now)
        #expect(got3.isEmpty)
        #expect(layer.serverInviteTransaction(id)?.state == ServerInviteTransaction.State.confirmed)
        clock.advance(by: .seconds(1))
        let got4 = layer.receive(request: ack, from: peer, reliable: false, now: clock.now)
        #expect(got4.isEmpty)
        let got5 = layer.receive(request: invite, from: peer, reliable: false, now: clock.now)
        #expect(got5.isEmpty)

        let log = layer.run(clock: &clock, until: VirtualClock.at(.seconds(60)))
        #expect(log == [TimedEvent(at: .seconds(9), event: .serverTerminated(id))])
        #expect(layer.count.server == 0)
        #expect(layer.nextDeadline == nil)
    }

    @Test func timerHEndsTheTransactionWhenNoACKComes() throws {
        var clock = VirtualClock()
        let invite = try TestMessages.request()
        var layer = TransactionLayer<String>()
        let id = try receiveNew(invite, into: &layer)
        let unavailable = TestMessages.response(480, to: invite)
        _ = layer.respond(unavailable, to: id, now: clock.now)

        let log = layer.run(clock: &clock, until: VirtualClock.at(.seconds(64)))
        let sends = log.filter { $0.event.sentMessage != nil }
        #expect(
            sends.map(\.at)
                == milliseconds(500, 1_500, 3_500, 7_500, 11_500, 15_500, 19_500, 23_500, 27_500, 31_500))
        let others = log.filter { $0.event.sentMessage == nil }
        #expect(
            others == [
                TimedEvent(at: .seconds(32), event: .serverTimeout(id)),
                TimedEvent(at: .seconds(32), event: .serverTerminated(id)),
            ])
        #expect(layer.count.server == 0)
    }

    @Test func reliableTransportHasNoTimerGAndNoTimerI() throws {
        var clock = VirtualClock()
        let invite = try TestMessages.request(vias: ["SIP/2.0/TCP 192.0.2.1:5060;branch=z9hG4bK-tcp-1"])
        var layer = TransactionLayer<String>()
        let id = try receiveNew(invite, into: &layer, reliable: true)
        let busy = TestMessages.response(486, to: invite)
        let got1 = layer.respond(busy, to: id, now: clock.now)
        #expect(got1 == [LayerEvent.send(.response(busy), to: peer)])
        #expect(layer.nextDeadline == VirtualClock.at(.seconds(32)))
        let got2 = layer.run(clock: &clock, until: VirtualClock.at(.seconds(5)))
        #expect(got2.isEmpty)

        let ack = try TestMessages.request(
            "ACK", vias: ["SIP/2.0/TCP 192.0.2.1:5060;branch=z9hG4bK-tcp-1"], to: "<sip:bob@example.com>;tag=b1")
        let ackEvents = layer.receive(request: ack, from: peer, reliable: true, now: clock.now)
        #expect(ackEvents == [LayerEvent.serverTerminated(id)])
        #expect(layer.count.server == 0)
        #expect(layer.nextDeadline == nil)
    }

    @Test func successMovesToAcceptedAndTheACKFor2xxIsStray() throws {
        var clock = VirtualClock()
        let invite = try TestMessages.request()
        var layer = TransactionLayer<String>()
        let id = try receiveNew(invite, into: &layer)
        let ok = TestMessages.response(200, to: invite)
        let got1 = layer.respond(ok, to: id, now: clock.now)
        #expect(got1 == [LayerEvent.send(.response(ok), to: peer)])
        #expect(layer.serverInviteTransaction(id)?.state == ServerInviteTransaction.State.accepted)

        // RFC 6026 section 8.7: retransmitted INVITEs are absorbed; the TU's 2xx retransmissions are sent.
        clock.advance(by: .milliseconds(500))
        let got2 = layer.receive(request: invite, from: peer, reliable: false, now: clock.now)
        #expect(got2.isEmpty)
        let got3 = layer.respond(ok, to: id, now: clock.now)
        #expect(got3 == [LayerEvent.send(.response(ok), to: peer)])
        // A non-2xx final cannot follow a 2xx.
        let got4 = layer.respond(TestMessages.response(500, to: invite), to: id, now: clock.now)
        #expect(got4.isEmpty)

        // The ACK for the 2xx has its own branch and matches nothing.
        let ackFor2xx = try makeACK(branch: "z9hG4bK-alice-ack")
        let got5 = layer.receive(request: ackFor2xx, from: peer, reliable: false, now: clock.now)
        #expect(got5 == [LayerEvent.strayACK(ackFor2xx, from: peer)])
        // An ACK that does match the accepted INVITE goes to the TU too (RFC 6026 figure 7).
        let matchingACK = try makeACK()
        let got6 = layer.receive(request: matchingACK, from: peer, reliable: false, now: clock.now)
        #expect(got6 == [LayerEvent.strayACK(matchingACK, from: peer)])
        #expect(layer.count.server == 1)

        // Timer L (64*T1) from the first 2xx.
        let log = layer.run(clock: &clock, until: VirtualClock.at(.seconds(60)))
        #expect(log == [TimedEvent(at: .seconds(32), event: .serverTerminated(id))])
        #expect(layer.count.server == 0)
    }

    @Test func transportFailureIsReported() throws {
        let clock = VirtualClock()
        let invite = try TestMessages.request()
        var layer = TransactionLayer<String>()
        let id = try receiveNew(invite, into: &layer)
        _ = layer.respond(TestMessages.response(180, to: invite), to: id, now: clock.now)
        let failure = layer.transportFailed(id, now: clock.now)
        #expect(failure == [LayerEvent.serverTransportError(id), LayerEvent.serverTerminated(id)])
        #expect(layer.count.server == 0)
        let got1 = layer.respond(TestMessages.response(200, to: invite), to: id, now: clock.now)
        #expect(got1.isEmpty)
    }
}
