import NIOCore
import SIPCore
import SIPTransactions
import Testing

/// Many transactions at once: every one ends, the tables empty and the timer heap drains.
@Suite("Transaction layer under load")
struct TransactionLayerLoadTests {
    let peer = "udp:192.0.2.2:5060"

    @Test func tenThousandConcurrentTransactionsAllTerminate() throws {
        var clock = VirtualClock()
        var layer = TransactionLayer<String>()
        let invite = try TestMessages.request()
        let options = try TestMessages.request("OPTIONS")
        let perKind = 2_500
        for n in 0..<perKind {
            // Client INVITE that is never answered: Timers A then B.
            let outgoing = TestMessages.with(via: "SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKci\(n)", invite)
            _ = layer.send(request: outgoing, to: peer, reliable: false, now: clock.now)

            // Client OPTIONS answered at once: Timer K.
            let query = TestMessages.with(via: "SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKcn\(n)", options)
            let (queryID, _) = layer.send(request: query, to: peer, reliable: false, now: clock.now)
            let answer = TestMessages.response(200, to: query)
            let got1 = layer.receive(response: answer, now: clock.now)
            #expect(got1 == [LayerEvent.response(answer, queryID)])

            // Server INVITE rejected, and the ACK never comes: Timers G then H.
            let incoming = TestMessages.with(via: "SIP/2.0/UDP 203.0.113.5:5060;branch=z9hG4bKsi\(n)", invite)
            let inviteEvents = layer.receive(request: incoming, from: peer, reliable: false, now: clock.now)
            let inviteID = try #require(inviteEvents.first?.newServerTransaction)
            _ = layer.respond(TestMessages.response(486, to: incoming), to: inviteID, now: clock.now)

            // Server OPTIONS answered: Timer J.
            let asked = TestMessages.with(via: "SIP/2.0/UDP 203.0.113.5:5060;branch=z9hG4bKsn\(n)", options)
            let askedEvents = layer.receive(request: asked, from: peer, reliable: false, now: clock.now)
            let askedID = try #require(askedEvents.first?.newServerTransaction)
            _ = layer.respond(TestMessages.response(200, to: asked), to: askedID, now: clock.now)

            clock.advance(by: .microseconds(200))
        }
        #expect(layer.count.client == 2 * perKind)
        #expect(layer.count.server == 2 * perKind)
        let firstDeadline = try #require(layer.nextDeadline)
        #expect(firstDeadline == VirtualClock.at(.milliseconds(500)))

        let events = layer.advance(to: clock.now + .seconds(120))
        var terminations = 0
        var clientTimeouts = 0
        var serverTimeouts = 0
        var sends = 0
        for event in events {
            switch event {
            case .clientTerminated, .serverTerminated: terminations += 1
            case .clientTimeout: clientTimeouts += 1
            case .serverTimeout: serverTimeouts += 1
            case .send: sends += 1
            default: break
            }
        }
        #expect(terminations == 4 * perKind)
        #expect(clientTimeouts == perKind)
        #expect(serverTimeouts == perKind)
        // Each unanswered INVITE was retransmitted 6 times and each 486 10 times.
        #expect(sends == perKind * (6 + 10))
        #expect(layer.count.client == 0)
        #expect(layer.count.server == 0)
        #expect(layer.nextDeadline == nil)
    }

    @Test func stoppedTimersDoNotKeepDeadlinesAlive() throws {
        let clock = VirtualClock()
        var layer = TransactionLayer<String>()
        let options = try TestMessages.request("OPTIONS", vias: ["SIP/2.0/TCP 192.0.2.1:5060;branch=z9hG4bK-x"])
        for n in 0..<1_000 {
            let query = TestMessages.with(via: "SIP/2.0/TCP 192.0.2.1:5060;branch=z9hG4bKrel\(n)", options)
            let (id, _) = layer.send(request: query, to: peer, reliable: true, now: clock.now)
            // Over a reliable transport Timer K is zero: the final ends the transaction, and its Timer F is void.
            let events = layer.receive(response: TestMessages.response(200, to: query), now: clock.now)
            #expect(events.last == LayerEvent.clientTerminated(id))
        }
        #expect(layer.count.client == 0)
        #expect(layer.nextDeadline == nil)
    }

    @Test func nextDeadlineFollowsTheEarliestLiveTimer() throws {
        var clock = VirtualClock()
        var layer = TransactionLayer<String>()
        let options = try TestMessages.request("OPTIONS")
        let (first, _) = layer.send(request: options, to: peer, reliable: false, now: clock.now)
        clock.advance(by: .milliseconds(100))
        let later = TestMessages.with(via: "SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-later", options)
        _ = layer.send(request: later, to: peer, reliable: false, now: clock.now)
        #expect(layer.nextDeadline == VirtualClock.at(.milliseconds(500)))

        // Answering the first voids its Timer E; the next deadline is the second's E at 0.6 s.
        let ok = TestMessages.response(200, to: options)
        let got1 = layer.receive(response: ok, now: clock.now)
        #expect(got1 == [LayerEvent.response(ok, first)])
        #expect(layer.nextDeadline == VirtualClock.at(.milliseconds(600)))
    }
}
