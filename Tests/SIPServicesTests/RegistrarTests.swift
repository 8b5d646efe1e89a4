import NIOCore
import SIPCore
import SIPServices
import Testing

@Suite("Registrar")
struct RegistrarTests {
    static let identity = Fixtures.aliceWeb

    /// Registers and requires a 200.
    static func accept(
        _ registrar: inout Registrar, _ request: SIPRequest, source: SIPSource = Fixtures.udp(),
        at now: UnixTime = Fixtures.now
    ) throws -> RegistrationResult {
        let outcome = registrar.register(request, aor: Fixtures.alice, identity: identity, source: source, now: now)
        guard case .ok(let result) = outcome else {
            throw TestError(description: "expected 200, got \(outcome)")
        }
        return result
    }

    static func contactURIs(_ registrar: Registrar, at now: UnixTime = Fixtures.now) -> [String] {
        registrar.location.bindings(for: Fixtures.alice, now: now).map(\.contact.uri.description)
    }

    @Test func addsABindingAndListsItWithItsExpiry() throws {
        var registrar = Registrar()
        let request = try Fixtures.register(contacts: ["<sip:alice@127.0.0.1:5070>"], expires: 600)
        let result = try Self.accept(&registrar, request)
        #expect(result.contacts.count == 1)
        #expect(result.contacts.first?.expiresIn == 600)
        let binding = try #require(result.contacts.first?.binding)
        #expect(binding.expiresAt == Fixtures.now + 600)
        #expect(binding.callID == CallID("reg-call-1@127.0.0.1"))
        #expect(binding.cseq == 1)
        #expect(binding.source == Fixtures.udp())
        #expect(binding.authUsername == "alice")
        #expect(binding.isPersistent)
        #expect(result.changes == [.added(binding)])
        #expect(registrar.location.count == 1)

        let response = RegistrarOutcome.ok(result).makeResponse(to: request, toTag: Tag("reg-tag"))
        #expect(response.status == .ok)
        let contacts = try #require(try response.headers.contact())
        #expect(contacts.addresses.map(\.uri.description) == ["sip:alice@127.0.0.1:5070"])
        #expect(contacts.addresses.first?.expires == 600)
        #expect(try response.headers.to?.tag == Tag("reg-tag"))
        #expect(try response.headers.callID == CallID("reg-call-1@127.0.0.1"))
        #expect(!response.headers.contains(.require))
    }

    @Test func expiryComesFromTheContactThenTheHeaderThenTheDefault() throws {
        var registrar = Registrar()
        let request = try Fixtures.register(
            contacts: ["<sip:a@192.0.2.1>;expires=120", "<sip:b@192.0.2.2>"], expires: 900)
        let result = try Self.accept(&registrar, request)
        let byURI = Dictionary(uniqueKeysWithValues: result.contacts.map { ($0.binding.contact.uri.description, $0) })
        #expect(byURI["sip:a@192.0.2.1"]?.expiresIn == 120)
        #expect(byURI["sip:b@192.0.2.2"]?.expiresIn == 900)
        // The stored contact drops its expires parameter; the listing carries the remaining time.
        #expect(byURI["sip:a@192.0.2.1"]?.binding.contact.parameters.contains(named: "expires") == false)

        var fresh = Registrar()
        let noExpiry = try Self.accept(&fresh, try Fixtures.register(contacts: ["<sip:c@192.0.2.3>"]))
        #expect(noExpiry.contacts.first?.expiresIn == 3600)
    }

    @Test func longRequestsAreShortenedToMaxExpires() throws {
        var registrar = Registrar(settings: .init(maxExpires: 1800))
        let request = try Fixtures.register(contacts: ["<sip:a@192.0.2.1>"], expires: 86_400)
        let result = try Self.accept(&registrar, request)
        #expect(result.contacts.first?.expiresIn == 1800)
    }

    @Test func refreshMovesTheExpiryOfTheMatchingBinding() throws {
        var registrar = Registrar()
        _ = try Self.accept(&registrar, try Fixtures.register(contacts: ["<sip:alice@127.0.0.1:5070>"], expires: 600))
        let later = Fixtures.now + 300
        let refresh = try Fixtures.register(
            contacts: ["<sip:alice@127.0.0.1:5070;transport=udp>"], expires: 600, cseq: 2)
        // A different transport parameter is a different contact (RFC 3261 section 19.1.4) ...
        let second = try Self.accept(&registrar, refresh, at: later)
        #expect(second.contacts.count == 2)
        // ... and the first URI again refreshes its binding.
        let third = try Self.accept(
            &registrar, try Fixtures.register(contacts: ["<sip:alice@127.0.0.1:5070>"], expires: 600, cseq: 3),
            at: later)
        #expect(third.contacts.count == 2)
        let refreshed = try #require(third.changes.first)
        guard case .refreshed(let binding) = refreshed else {
            Issue.record("expected a refresh, got \(refreshed)")
            return
        }
        #expect(binding.expiresAt == later + 600)
        #expect(binding.cseq == 3)
    }

    @Test func orderedByQThenMostRecent() throws {
        var registrar = Registrar()
        _ = try Self.accept(
            &registrar,
            try Fixtures.register(contacts: ["<sip:low@192.0.2.1>;q=0.1", "<sip:first@192.0.2.2>"], expires: 600))
        _ = try Self.accept(
            &registrar,
            try Fixtures.register(
                contacts: ["<sip:high@192.0.2.3>;q=0.9", "<sip:second@192.0.2.4>;q=1.0"], expires: 600,
                callID: "other-call"),
            at: Fixtures.now + 10)
        #expect(
            Self.contactURIs(registrar, at: Fixtures.now + 10) == [
                "sip:second@192.0.2.4", "sip:first@192.0.2.2", "sip:high@192.0.2.3", "sip:low@192.0.2.1",
            ])
        let q = registrar.location.bindings(for: Fixtures.alice, now: Fixtures.now + 10).map(\.q)
        #expect(q == [1.0, 1.0, 0.9, 0.1])
    }

    @Test func expiredBindingsDisappear() throws {
        var registrar = Registrar()
        _ = try Self.accept(
            &registrar,
            try Fixtures.register(contacts: ["<sip:short@192.0.2.1>;expires=60", "<sip:long@192.0.2.2>"], expires: 600))
        #expect(registrar.location.nextExpiry == Fixtures.now + 60)
        #expect(Self.contactURIs(registrar, at: Fixtures.now + 59).count == 2)
        #expect(Self.contactURIs(registrar, at: Fixtures.now + 60) == ["sip:long@192.0.2.2"])
        let expired = registrar.location.expire(now: Fixtures.now + 60)
        #expect(expired.map(\.contact.uri.description) == ["sip:short@192.0.2.1"])
        #expect(registrar.location.count == 1)
        #expect(registrar.location.nextExpiry == Fixtures.now + 600)
        #expect(registrar.location.expire(now: Fixtures.now + 600).count == 1)
        #expect(registrar.location.count == 0)
        #expect(registrar.location.nextExpiry == nil)
    }

    @Test func remainingTimeIsListed() throws {
        var registrar = Registrar()
        _ = try Self.accept(&registrar, try Fixtures.register(contacts: ["<sip:a@192.0.2.1>"], expires: 600))
        // A query (no Contact) lists bindings with the time they have left.
        let query = try Self.accept(&registrar, try Fixtures.register(contacts: [], cseq: 2), at: Fixtures.now + 100)
        #expect(query.contacts.map(\.expiresIn) == [500])
        #expect(query.changes.isEmpty)
    }

    @Test func expiresZeroRemovesOneBinding() throws {
        var registrar = Registrar()
        _ = try Self.accept(
            &registrar, try Fixtures.register(contacts: ["<sip:a@192.0.2.1>", "<sip:b@192.0.2.2>"], expires: 600))
        let result = try Self.accept(
            &registrar, try Fixtures.register(contacts: ["<sip:a@192.0.2.1>;expires=0"], expires: 600, cseq: 2))
        #expect(result.contacts.map(\.binding.contact.uri.description) == ["sip:b@192.0.2.2"])
        #expect(result.changes.count == 1)
        if case .removed(let binding)? = result.changes.first {
            #expect(binding.contact.uri.description == "sip:a@192.0.2.1")
        } else {
            Issue.record("expected a removal")
        }
    }

    @Test func starWithExpiresZeroRemovesEverything() throws {
        var registrar = Registrar()
        _ = try Self.accept(
            &registrar, try Fixtures.register(contacts: ["<sip:a@192.0.2.1>", "<sip:b@192.0.2.2>"], expires: 600))
        // Another client of the same AOR (another Call-ID) registered too.
        _ = try Self.accept(
            &registrar, try Fixtures.register(contacts: ["<sip:c@192.0.2.3>"], expires: 600, callID: "phone"))
        let result = try Self.accept(&registrar, try Fixtures.register(contacts: ["*"], expires: 0, cseq: 2))
        #expect(result.contacts.isEmpty)
        #expect(result.changes.count == 3)
        #expect(registrar.location.count == 0)
        let response = RegistrarOutcome.ok(result).makeResponse(to: try Fixtures.register(contacts: ["*"], expires: 0))
        #expect(!response.headers.contains(.contact))
    }

    @Test func starNeedsExpiresZero() throws {
        var registrar = Registrar()
        for expires in [nil, 3600] as [Int?] {
            let outcome = registrar.register(
                try Fixtures.register(contacts: ["*"], expires: expires), aor: Fixtures.alice,
                identity: Self.identity, source: Fixtures.udp(), now: Fixtures.now)
            #expect(outcome.status == .badRequest)
        }
    }

    @Test func starWithOtherContactsIs400() throws {
        var registrar = Registrar()
        // Built by hand: the transport's parser already refuses this on the wire.
        var request = try Fixtures.register(contacts: [], expires: 0)
        request.headers.append(.contact, "*")
        request.headers.append(.contact, "<sip:a@192.0.2.1>")
        let outcome = registrar.register(
            request, aor: Fixtures.alice, identity: Self.identity, source: Fixtures.udp(), now: Fixtures.now)
        #expect(outcome.status == .badRequest)
        #expect(registrar.location.count == 0)
        let response = outcome.makeResponse(to: request)
        #expect(response.status == .badRequest)
    }

    @Test func tooBriefIs423WithMinExpires() throws {
        var registrar = Registrar(settings: .init(minExpires: 60))
        let request = try Fixtures.register(contacts: ["<sip:a@192.0.2.1>;expires=30"])
        let outcome = registrar.register(
            request, aor: Fixtures.alice, identity: Self.identity, source: Fixtures.udp(), now: Fixtures.now)
        #expect(outcome.status == .intervalTooBrief)
        let response = outcome.makeResponse(to: request)
        #expect(response.status.code == 423)
        #expect(try response.headers.minExpires == 60)
        #expect(registrar.location.count == 0)
        // Exactly the minimum is fine, and so is 0 (a removal).
        _ = try Self.accept(&registrar, try Fixtures.register(contacts: ["<sip:a@192.0.2.1>;expires=60"], cseq: 2))
        _ = try Self.accept(&registrar, try Fixtures.register(contacts: ["<sip:a@192.0.2.1>;expires=0"], cseq: 3))
        #expect(registrar.location.count == 0)
    }

    @Test func sameCallIDNeedsAHigherCSeq() throws {
        var registrar = Registrar()
        _ = try Self.accept(
            &registrar, try Fixtures.register(contacts: ["<sip:a@192.0.2.1>"], expires: 600, cseq: 5))
        for cseq: UInt32 in [5, 4] {
            let outcome = registrar.register(
                try Fixtures.register(contacts: ["<sip:a@192.0.2.1>"], expires: 1200, cseq: cseq),
                aor: Fixtures.alice, identity: Self.identity, source: Fixtures.udp(), now: Fixtures.now + 1)
            #expect(outcome.status == .serverInternalError)
        }
        // Nothing changed.
        let binding = try #require(registrar.location.bindings(for: Fixtures.alice, now: Fixtures.now).first)
        #expect(binding.cseq == 5)
        #expect(binding.expiresAt == Fixtures.now + 600)
        // A new Call-ID (a rebooted client) may start low again.
        let fresh = try Self.accept(
            &registrar, try Fixtures.register(contacts: ["<sip:a@192.0.2.1>"], expires: 600, callID: "rebooted"))
        #expect(fresh.contacts.first?.binding.callID == CallID("rebooted"))
        // And * obeys the same rule.
        let star = registrar.register(
            try Fixtures.register(contacts: ["*"], expires: 0, callID: "rebooted", cseq: 1), aor: Fixtures.alice,
            identity: Self.identity, source: Fixtures.udp(), now: Fixtures.now)
        #expect(star.status == .serverInternalError)
    }

    @Test func allContactsOrNone() throws {
        var registrar = Registrar()
        _ = try Self.accept(&registrar, try Fixtures.register(contacts: ["<sip:a@192.0.2.1>"], expires: 600, cseq: 5))
        // b is new but a is out of order: neither takes effect.
        let outcome = registrar.register(
            try Fixtures.register(contacts: ["<sip:b@192.0.2.2>", "<sip:a@192.0.2.1>"], expires: 600, cseq: 5),
            aor: Fixtures.alice, identity: Self.identity, source: Fixtures.udp(), now: Fixtures.now)
        #expect(outcome.status == .serverInternalError)
        #expect(Self.contactURIs(registrar) == ["sip:a@192.0.2.1"])
    }

    @Test func regIDOnANewFlowReplacesTheOldFlowsBinding() throws {
        var registrar = Registrar()
        let instance = "+sip.instance=\"<urn:uuid:e7c51e94-305f-496d-a583-7f3050cd0244>\""
        let first = try Fixtures.register(
            contacts: ["<sip:7g940fcv@mvr5l6dlr1nj.invalid;transport=ws>;\(instance);reg-id=1"], expires: 600,
            callID: "ws-call-1", extraHeaders: ["Supported: path, gruu, outbound"])
        let added = try Self.accept(&registrar, first, source: Fixtures.wss(1))
        #expect(added.usedOutbound)
        #expect(added.requireOutbound)
        let response = RegistrarOutcome.ok(added).makeResponse(to: first)
        #expect(response.headers.tokens(.require) == ["outbound"])
        #expect(response.headers.tokens(.supported) == ["outbound"])
        let old = try #require(added.contacts.first?.binding)
        #expect(old.instanceID == "urn:uuid:e7c51e94-305f-496d-a583-7f3050cd0244")
        #expect(old.regID == 1)
        #expect(!old.isPersistent)

        // The browser reconnects: new WebSocket, new contact, new Call-ID, same instance and reg-id.
        let second = try Fixtures.register(
            contacts: ["<sip:k5iml309@ntq512jm7hh2.invalid;transport=ws>;\(instance);reg-id=1"], expires: 600,
            callID: "ws-call-2", extraHeaders: ["Supported: outbound"])
        let replaced = try Self.accept(&registrar, second, source: Fixtures.wss(2), at: Fixtures.now + 5)
        #expect(replaced.contacts.count == 1)
        let current = try #require(replaced.contacts.first?.binding)
        #expect(current.source.flow == FlowID(2))
        #expect(current.contact.uri.description == "sip:k5iml309@ntq512jm7hh2.invalid;transport=ws")
        #expect(replaced.changes == [.removed(old), .added(current)])

        // A second reg-id of the same instance is a second flow, kept beside the first.
        let backup = try Fixtures.register(
            contacts: ["<sip:k5iml309@ntq512jm7hh2.invalid;transport=ws>;\(instance);reg-id=2"], expires: 600,
            callID: "ws-call-3")
        let both = try Self.accept(&registrar, backup, source: Fixtures.wss(3), at: Fixtures.now + 6)
        #expect(both.contacts.count == 2)
        #expect(!both.requireOutbound)
    }

    @Test func regIDWithoutInstanceIsIgnored() throws {
        var registrar = Registrar()
        let result = try Self.accept(
            &registrar, try Fixtures.register(contacts: ["<sip:a@192.0.2.1>;reg-id=1"], expires: 600))
        #expect(!result.usedOutbound)
        #expect(result.contacts.first?.binding.regID == nil)
    }

    @Test func outboundBehindAProxyWithoutObPathIs439() throws {
        var registrar = Registrar()
        let request = try Fixtures.register(
            contacts: ["<sip:a@192.0.2.1>;+sip.instance=\"<urn:uuid:1>\";reg-id=1"], expires: 600, vias: 2)
        let outcome = registrar.register(
            request, aor: Fixtures.alice, identity: Self.identity, source: Fixtures.udp(), now: Fixtures.now)
        #expect(outcome.status.code == 439)
    }

    @Test func removingAFlowDropsOnlyItsBindings() throws {
        var registrar = Registrar()
        _ = try Self.accept(
            &registrar, try Fixtures.register(contacts: ["<sip:a@x.invalid;transport=ws>"], expires: 600),
            source: Fixtures.wss(7))
        _ = try Self.accept(
            &registrar,
            try Fixtures.register(contacts: ["<sip:b@192.0.2.2;transport=tcp>"], expires: 600, callID: "tcp-call"),
            source: Fixtures.tcp(8))
        _ = try Self.accept(
            &registrar, try Fixtures.register(contacts: ["<sip:c@192.0.2.3>"], expires: 600, callID: "udp-call"),
            source: Fixtures.udp(9))
        #expect(registrar.location.count == 3)
        let removed = registrar.location.removeBindings(onFlow: FlowID(7))
        #expect(removed.map(\.contact.uri.description) == ["sip:a@x.invalid;transport=ws"])
        #expect(Set(Self.contactURIs(registrar)) == ["sip:b@192.0.2.2;transport=tcp", "sip:c@192.0.2.3"])
        #expect(registrar.location.removeBindings(onFlow: FlowID(7)).isEmpty)
        #expect(registrar.location.bindings(onFlow: FlowID(8)).count == 1)
        #expect(registrar.location.count == 2)
    }

    @Test func maxContactsPerAOR() throws {
        var registrar = Registrar(settings: .init(maxContactsPerAOR: 2))
        _ = try Self.accept(
            &registrar, try Fixtures.register(contacts: ["<sip:a@192.0.2.1>", "<sip:b@192.0.2.2>"], expires: 600))
        let outcome = registrar.register(
            try Fixtures.register(contacts: ["<sip:c@192.0.2.3>"], expires: 600, callID: "third"),
            aor: Fixtures.alice, identity: Self.identity, source: Fixtures.udp(), now: Fixtures.now)
        #expect(outcome.status == .forbidden)
        #expect(registrar.location.count == 2)
        // Refreshing within the limit still works, and a slot freed by a removal can be taken.
        _ = try Self.accept(
            &registrar, try Fixtures.register(contacts: ["<sip:a@192.0.2.1>"], expires: 600, cseq: 2))
        _ = try Self.accept(
            &registrar,
            try Fixtures.register(
                contacts: ["<sip:b@192.0.2.2>;expires=0", "<sip:c@192.0.2.3>"], expires: 600, cseq: 3))
        #expect(Set(Self.contactURIs(registrar)) == ["sip:a@192.0.2.1", "sip:c@192.0.2.3"])
    }

    /// A TCP client that crashes and reconnects registers a new Contact each time; the bindings restored
    /// after a restart have no connection left and give way, oldest first, instead of a 403.
    @Test func restoredConnectionBindingsGiveWayToNewContacts() throws {
        var before = Registrar(settings: .init(maxContactsPerAOR: 2))
        var persisted: [Binding] = []
        for (index, port) in [40_001, 40_002].enumerated() {
            let result = try Self.accept(
                &before,
                try Fixtures.register(
                    contacts: ["<sip:a@127.0.0.1:\(port);transport=tcp>"], expires: 600, callID: "c\(port)"),
                source: Fixtures.tcp(UInt64(index + 1)))
            persisted += result.changes.map(\.binding)
        }
        var after = Registrar(settings: .init(maxContactsPerAOR: 2))
        after.location.restore(
            persisted.map { binding in
                var restored = binding
                restored.source = SIPSource(transport: .tcp, remote: binding.source.remote, flow: .restored)
                return restored
            }, now: Fixtures.now)
        let result = try Self.accept(
            &after,
            try Fixtures.register(contacts: ["<sip:a@127.0.0.1:40003;transport=tcp>"], expires: 600, callID: "c40003"),
            source: Fixtures.tcp(9))
        #expect(
            result.changes.compactMap { change -> String? in
                if case .removed(let binding) = change { return binding.contact.uri.description }
                return nil
            } == ["sip:a@127.0.0.1:40001;transport=tcp"])
        #expect(
            Set(Self.contactURIs(after)) == [
                "sip:a@127.0.0.1:40002;transport=tcp", "sip:a@127.0.0.1:40003;transport=tcp",
            ])
    }

    @Test func onlyTheAORsOwnIdentityMayRegister() throws {
        var registrar = Registrar()
        let outcome = registrar.register(
            try Fixtures.register(contacts: ["<sip:a@192.0.2.1>"], expires: 600), aor: Fixtures.alice,
            identity: Fixtures.bobWeb, source: Fixtures.udp(), now: Fixtures.now)
        #expect(outcome.status == .forbidden)
    }

    @Test func malformedContactParametersAre400() throws {
        for contact in ["<sip:a@192.0.2.1>;expires=soon", "<sip:a@192.0.2.1>;q=2", "<tel:+15555550100>"] {
            var registrar = Registrar()
            let outcome = registrar.register(
                try Fixtures.register(contacts: [contact], expires: 600), aor: Fixtures.alice,
                identity: Self.identity, source: Fixtures.udp(), now: Fixtures.now)
            #expect(outcome.status == .badRequest, "\(contact)")
        }
    }

    @Test func capturedSoftphoneRegisterIsAccepted() throws {
        // baresip's first REGISTER (loopback capture), with its +sip.instance but no reg-id.
        let request = try Fixtures.request(
            [
                "REGISTER sip:localhost;transport=udp SIP/2.0",
                "Via: SIP/2.0/UDP 127.0.0.1:5080;branch=z9hG4bK4a5f4bc5752740b6;rport",
                "Contact: <sip:alice-0x56457ab7eaf0@127.0.0.1:5080>;expires=600;"
                    + "+sip.instance=\"<urn:uuid:6d34ead9-d714-84d6-ae85-abaf9f6a8868>\"",
                "Max-Forwards: 70",
                "Route: <sip:127.0.0.1:5070;lr>",
                "To: <sip:alice@localhost>",
                "From: <sip:alice@localhost>;tag=6a0f26fe4880b51a",
                "Call-ID: 4058cd888bbc9063",
                "CSeq: 42024 REGISTER",
                "User-Agent: baresip v1.0.0 (x86_64/linux)",
                "Allow: INVITE,ACK,BYE,CANCEL,OPTIONS,NOTIFY,SUBSCRIBE,INFO,MESSAGE,REFER",
                "Content-Length: 0",
                "", "",
            ].joined(separator: "\r\n"))
        let to = try #require(try request.headers.to)
        let aor = try #require(AOR(uri: to.uri))
        #expect(aor == Fixtures.alice)
        var registrar = Registrar()
        let outcome = registrar.register(
            request, aor: aor, identity: Self.identity, source: Fixtures.udp(3, port: 5080), now: Fixtures.now)
        guard case .ok(let result) = outcome else {
            Issue.record("expected 200, got \(outcome)")
            return
        }
        let binding = try #require(result.contacts.first?.binding)
        #expect(binding.instanceID == "urn:uuid:6d34ead9-d714-84d6-ae85-abaf9f6a8868")
        #expect(binding.regID == nil)
        #expect(binding.userAgent == "baresip v1.0.0 (x86_64/linux)")
        #expect(binding.cseq == 42024)
        let response = outcome.makeResponse(to: request)
        let contact = try #require(try response.headers.contact()?.addresses.first)
        #expect(contact.expires == 600)
        #expect(contact.parameters.contains(named: "+sip.instance"))
        #expect(!response.headers.contains(.require))
    }

    @Test func restoredBindingsSurviveARestart() throws {
        var before = Registrar()
        let result = try Self.accept(
            &before,
            try Fixtures.register(contacts: ["<sip:a@192.0.2.1>", "<sip:b@192.0.2.2>;expires=60"], expires: 600))
        let persisted = result.changes.map(\.binding).filter(\.isPersistent)
        #expect(persisted.count == 2)

        var after = Registrar()
        let skipped = after.location.restore(persisted, now: Fixtures.now + 120)
        #expect(skipped.map(\.contact.uri.description) == ["sip:b@192.0.2.2"])
        #expect(Self.contactURIs(after, at: Fixtures.now + 120) == ["sip:a@192.0.2.1"])
        // The restored binding keeps its Call-ID and CSeq rules.
        let outcome = after.register(
            try Fixtures.register(contacts: ["<sip:a@192.0.2.1>"], expires: 600, cseq: 1), aor: Fixtures.alice,
            identity: Self.identity, source: Fixtures.udp(), now: Fixtures.now + 130)
        #expect(outcome.status == .serverInternalError)
    }
}
