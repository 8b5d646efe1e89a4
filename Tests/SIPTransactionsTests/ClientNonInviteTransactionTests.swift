import NIOCore
import SIPCore
import SIPTransactions
import Testing

/// RFC 3261 section 17.1.2, through the layer and on a virtual clock.
@Suite("Non-INVITE client transaction")
struct ClientNonInviteTransactionTests {
    let peer = "udp:192.0.2.2:5060"

    @Test func timerEDoublesUpToT2UntilTimerF() throws {
        var clock = VirtualClock()
        var layer = TransactionLayer<String>()
        let options = try TestMessages.request("OPTIONS")
        let (id, first) = layer.send(request: options, to: peer, reliable: false, now: clock.now)
        #expect(first == [LayerEvent.send(.request(options), to: peer)])

        let log = layer.run(clock: &clock, until: VirtualClock.at(.seconds(64)))
        let sends = log.filter { $0.event.sentMessage != nil }
        // Intervals 0.5, 1, 2, then T2 = 4 s.
        #expect(
            sends.map(\.at)
                == milliseconds(500, 1_500, 3_500, 7_500, 11_500, 15_500, 19_500, 23_500, 27_500, 31_500))
        let onlyTheRequest = sends.allSatisfy { $0.event == LayerEvent.send(.request(options), to: peer) }
        #expect(onlyTheRequest)
        let others = log.filter { $0.event.sentMessage == nil }
        #expect(
            others == [
                TimedEvent(at: .seconds(32), event: .clientTimeout(id)),
                TimedEvent(at: .seconds(32), event: .clientTerminated(id)),
            ])
        #expect(layer.nextDeadline == nil)
    }

    @Test func afterAProvisionalTimerERetransmitsEveryT2() throws {
        var clock = VirtualClock()
        var layer = TransactionLayer<String>()
        let register = try TestMessages.request("REGISTER", uri: "sip:example.com")
        let (id, _) = layer.send(request: register, to: peer, reliable: false, now: clock.now)
        let early = layer.run(clock: &clock, until: VirtualClock.at(.milliseconds(600)))
        #expect(early.map(\.at) == milliseconds(500))

        let trying = TestMessages.response(100, to: register, toTag: nil)
        let got1 = layer.receive(response: trying, now: clock.now)
        #expect(got1 == [LayerEvent.response(trying, id)])
        #expect(layer.clientNonInviteTransaction(id)?.state == ClientNonInviteTransaction.State.proceeding)

        // Timer E was due at 1.5 s; from then on it restarts at T2.
        let log = layer.run(clock: &clock, until: VirtualClock.at(.seconds(64)))
        let sends = log.filter { $0.event.sentMessage != nil }
        #expect(sends.map(\.at) == milliseconds(1_500, 5_500, 9_500, 13_500, 17_500, 21_500, 25_500, 29_500))
        let others = log.filter { $0.event.sentMessage == nil }
        #expect(
            others == [
                TimedEvent(at: .seconds(32), event: .clientTimeout(id)),
                TimedEvent(at: .seconds(32), event: .clientTerminated(id)),
            ])
    }

    @Test func timerKAbsorbsRetransmittedFinals() throws {
        var clock = VirtualClock()
        var layer = TransactionLayer<String>()
        let options = try TestMessages.request("OPTIONS")
        let (id, _) = layer.send(request: options, to: peer, reliable: false, now: clock.now)
        _ = layer.run(clock: &clock, until: VirtualClock.at(.seconds(2)))

        let ok = TestMessages.response(200, to: options)
        let got1 = layer.receive(response: ok, now: clock.now)
        #expect(got1 == [LayerEvent.response(ok, id)])
        #expect(layer.clientNonInviteTransaction(id)?.state == ClientNonInviteTransaction.State.completed)
        clock.advance(by: .seconds(1))
        let got2 = layer.receive(response: ok, now: clock.now)
        #expect(got2.isEmpty)

        // No more retransmissions; Timer K (T4 = 5 s) ends the transaction.
        let log = layer.run(clock: &clock, until: VirtualClock.at(.seconds(60)))
        #expect(log == [TimedEvent(at: .seconds(7), event: .clientTerminated(id))])
        #expect(layer.nextDeadline == nil)
    }

    @Test func reliableTransportNeitherRetransmitsNorWaitsInCompleted() throws {
        var clock = VirtualClock()
        var layer = TransactionLayer<String>()
        let message = try TestMessages.request(
            "MESSAGE", vias: ["SIP/2.0/WSS df7jal23ls0d.invalid;branch=z9hG4bK-ws-1"])
        let (id, _) = layer.send(request: message, to: "ws:flow-9", reliable: true, now: clock.now)
        #expect(layer.nextDeadline == VirtualClock.at(.seconds(32)))
        let got1 = layer.run(clock: &clock, until: VirtualClock.at(.seconds(10)))
        #expect(got1.isEmpty)

        let accepted = TestMessages.response(202, to: message)
        let events = layer.receive(response: accepted, now: clock.now)
        #expect(events == [LayerEvent.response(accepted, id), LayerEvent.clientTerminated(id)])
        #expect(layer.count.client == 0)
        #expect(layer.nextDeadline == nil)
    }

    @Test func responsesWithoutATransactionAreStray() throws {
        let clock = VirtualClock()
        var layer = TransactionLayer<String>()
        let options = try TestMessages.request("OPTIONS")
        _ = layer.send(request: options, to: peer, reliable: false, now: clock.now)
        let other = try TestMessages.request("OPTIONS", vias: ["SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-other"])
        let stray = TestMessages.response(200, to: other)
        let got1 = layer.receive(response: stray, now: clock.now)
        #expect(got1 == [LayerEvent.strayResponse(stray)])
        // Same branch, other method (CSeq): not this transaction either (RFC 3261 section 17.1.3).
        let info = try TestMessages.request("INFO")
        let wrongMethod = TestMessages.response(200, to: info)
        let got2 = layer.receive(response: wrongMethod, now: clock.now)
        #expect(got2 == [LayerEvent.strayResponse(wrongMethod)])
        #expect(layer.count.client == 1)
    }

    @Test func cancelRunsItsOwnClientTransactionBesideTheInvite() throws {
        let clock = VirtualClock()
        var layer = TransactionLayer<String>()
        let invite = try TestMessages.request()
        let (inviteID, _) = layer.send(request: invite, to: peer, reliable: false, now: clock.now)
        // RFC 3261 section 9.1: the CANCEL carries the INVITE's top Via, branch included.
        let cancel = try TestMessages.request("CANCEL")
        let (cancelID, _) = layer.send(request: cancel, to: peer, reliable: false, now: clock.now)
        #expect(inviteID != cancelID)

        let cancelled = TestMessages.response(200, to: cancel)
        let got1 = layer.receive(response: cancelled, now: clock.now)
        #expect(got1 == [LayerEvent.response(cancelled, cancelID)])
        let terminated = TestMessages.response(487, to: invite)
        let events = layer.receive(response: terminated, now: clock.now)
        #expect(events.last == LayerEvent.response(terminated, inviteID))
    }

    @Test func ackIsNotATransaction() throws {
        let clock = VirtualClock()
        var layer = TransactionLayer<String>()
        let ack = try TestMessages.request("ACK", to: "<sip:bob@example.com>;tag=b1")
        let (_, events) = layer.send(request: ack, to: peer, reliable: false, now: clock.now)
        #expect(events == [LayerEvent.send(.request(ack), to: peer)])
        #expect(layer.count.client == 0)
        #expect(layer.nextDeadline == nil)
    }
}
