import NIOCore
import SIPCore
import SIPTransactions
import Testing

/// RFC 3261 section 17.2.2, through the layer and on a virtual clock.
@Suite("Non-INVITE server transaction")
struct ServerNonInviteTransactionTests {
    let peer = "udp:192.0.2.1:5060"

    @Test func retransmissionsGetTheCachedFinalUntilTimerJ() throws {
        var clock = VirtualClock()
        var layer = TransactionLayer<String>()
        let register = try TestMessages.request("REGISTER", uri: "sip:example.com")
        let events = layer.receive(request: register, from: peer, reliable: false, now: clock.now)
        let id = try #require(events.first?.newServerTransaction)
        #expect(events == [LayerEvent.request(register, id, from: peer)])
        #expect(!layer.isInviteServerTransactionProceeding(id))

        // Trying: retransmissions are discarded until the TU answers.
        clock.advance(by: .milliseconds(500))
        let got1 = layer.receive(request: register, from: peer, reliable: false, now: clock.now)
        #expect(got1.isEmpty)

        let ok = TestMessages.response(200, to: register)
        let got2 = layer.respond(ok, to: id, now: clock.now)
        #expect(got2 == [LayerEvent.send(.response(ok), to: peer)])
        #expect(layer.serverNonInviteTransaction(id)?.state == ServerNonInviteTransaction.State.completed)
        clock.advance(by: .seconds(1))
        let got3 = layer.receive(request: register, from: peer, reliable: false, now: clock.now)
        #expect(got3 == [LayerEvent.send(.response(ok), to: peer)])
        // Completed: other finals from the TU are discarded.
        let got4 = layer.respond(TestMessages.response(500, to: register), to: id, now: clock.now)
        #expect(got4.isEmpty)

        // Timer J (64*T1) from the final at 0.5 s; nothing is retransmitted on its own.
        let log = layer.run(clock: &clock, until: VirtualClock.at(.seconds(60)))
        #expect(log == [TimedEvent(at: .milliseconds(32_500), event: .serverTerminated(id))])
        #expect(layer.count.server == 0)
        #expect(layer.nextDeadline == nil)
    }

    @Test func retransmissionInProceedingGetsTheLastProvisional() throws {
        let clock = VirtualClock()
        var layer = TransactionLayer<String>()
        let subscribe = try TestMessages.request("SUBSCRIBE", extra: ["LayerEvent: presence"])
        let events = layer.receive(request: subscribe, from: peer, reliable: false, now: clock.now)
        let id = try #require(events.first?.newServerTransaction)
        let trying = TestMessages.response(100, to: subscribe, toTag: nil)
        let got1 = layer.respond(trying, to: id, now: clock.now)
        #expect(got1 == [LayerEvent.send(.response(trying), to: peer)])
        #expect(layer.serverNonInviteTransaction(id)?.state == ServerNonInviteTransaction.State.proceeding)
        let got2 = layer.receive(request: subscribe, from: peer, reliable: false, now: clock.now)
        #expect(got2 == [LayerEvent.send(.response(trying), to: peer)])
    }

    @Test func reliableTransportEndsAtTheFinal() throws {
        let clock = VirtualClock()
        var layer = TransactionLayer<String>()
        let message = try TestMessages.request("MESSAGE", vias: ["SIP/2.0/TCP 192.0.2.1:5060;branch=z9hG4bK-m1"])
        let events = layer.receive(request: message, from: "tcp:flow-3", reliable: true, now: clock.now)
        let id = try #require(events.first?.newServerTransaction)
        let ok = TestMessages.response(200, to: message)
        let got1 = layer.respond(ok, to: id, now: clock.now)
        #expect(got1 == [LayerEvent.send(.response(ok), to: "tcp:flow-3"), LayerEvent.serverTerminated(id)])
        #expect(layer.count.server == 0)
        #expect(layer.nextDeadline == nil)
    }

    @Test func transportFailureIsReported() throws {
        let clock = VirtualClock()
        var layer = TransactionLayer<String>()
        let options = try TestMessages.request("OPTIONS")
        let events = layer.receive(request: options, from: peer, reliable: false, now: clock.now)
        let id = try #require(events.first?.newServerTransaction)
        _ = layer.respond(TestMessages.response(200, to: options), to: id, now: clock.now)
        let failure = layer.transportFailed(id, now: clock.now)
        #expect(failure == [LayerEvent.serverTransportError(id), LayerEvent.serverTerminated(id)])
        #expect(layer.count.server == 0)
        #expect(layer.nextDeadline == nil)
    }
}
