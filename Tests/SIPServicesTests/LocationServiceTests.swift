import SIPCore
import SIPServices
import Testing

@Suite("Location service")
struct LocationServiceTests {
    static func binding(_ user: String, expiresIn: Int, aor: AOR = Fixtures.alice, flow: UInt64 = 1) throws -> Binding {
        Binding(
            aor: aor, contact: NameAddress(uri: try URI(parsing: "sip:\(user)@192.0.2.1")),
            expiresAt: Fixtures.now + expiresIn, callID: CallID("call-\(user)"), cseq: 1, source: Fixtures.udp(flow),
            authUsername: aor.user)
    }

    @Test func restoreSkipsExpiredAndKeepsTheCap() throws {
        var location = LocationService(maxContactsPerAOR: 2)
        let skipped = location.restore(
            [
                try Self.binding("a", expiresIn: 100), try Self.binding("b", expiresIn: 300),
                try Self.binding("c", expiresIn: 200), try Self.binding("gone", expiresIn: -5),
            ],
            now: Fixtures.now)
        // Soonest-expiring go first when over the cap.
        #expect(Set(skipped.map(\.contact.uri.description)) == ["sip:gone@192.0.2.1", "sip:a@192.0.2.1"])
        #expect(Set(location.bindings(for: Fixtures.alice, now: Fixtures.now).map(\.contact.uri.description)) == [
            "sip:b@192.0.2.1", "sip:c@192.0.2.1",
        ])
        #expect(location.count == 2)
        #expect(location.aorCount == 1)
    }

    @Test func restoreDoesNotDuplicateALiveBinding() throws {
        var location = LocationService()
        location.restore([try Self.binding("a", expiresIn: 100)], now: Fixtures.now)
        let skipped = location.restore([try Self.binding("a", expiresIn: 400)], now: Fixtures.now)
        #expect(skipped.count == 1)
        #expect(location.count == 1)
        #expect(location.nextExpiry == Fixtures.now + 100)
    }

    @Test func aorsAreSeparate() throws {
        var location = LocationService()
        location.restore(
            [try Self.binding("a", expiresIn: 100), try Self.binding("b", expiresIn: 100, aor: Fixtures.bob, flow: 2)],
            now: Fixtures.now)
        #expect(location.bindings(for: Fixtures.alice, now: Fixtures.now).count == 1)
        #expect(location.bindings(for: Fixtures.bob, now: Fixtures.now).count == 1)
        #expect(location.count(for: Fixtures.bob, now: Fixtures.now) == 1)
        #expect(location.removeBindings(for: Fixtures.bob).count == 1)
        #expect(location.bindings(for: Fixtures.bob, now: Fixtures.now).isEmpty)
        #expect(location.removeBindings(onFlow: FlowID(1)).count == 1)
        #expect(location.count == 0)
    }

    @Test func webSocketBindingsAreNotPersistent() throws {
        var binding = try Self.binding("a", expiresIn: 100)
        #expect(binding.isPersistent)
        binding.source = Fixtures.wss(4)
        #expect(!binding.isPersistent)
        #expect(binding.remainingSeconds(at: Fixtures.now.adding(milliseconds: 99_800)) == 1)
        #expect(binding.remainingSeconds(at: Fixtures.now + 200) == 0)
    }

    @Test func unixTimeHelpers() {
        let start = UnixTime(milliseconds: 1_000_500)
        #expect(start.seconds == 1000)
        #expect((start + 5).milliseconds == 1_005_500)
        #expect(start.seconds(until: start + 5) == 5)
        #expect(start.seconds(until: start.adding(milliseconds: 1)) == 1)
        #expect(start.seconds(until: start - 2) == -2)
        #expect(start < start + 1)
    }
}
