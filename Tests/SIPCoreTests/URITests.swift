import SIPCore
import Testing

@Suite("URIs")
struct URITests {
    @Test func fullSIPURI() throws {
        let uri = try SIPURI(
            parsing: "sips:alice:pw@example.org:5061;transport=tcp;lr;maddr=10.0.0.1?subject=project%20x&priority=urgent")
        #expect(uri.isSecure)
        #expect(uri.user == "alice")
        #expect(uri.password == "pw")
        #expect(uri.host == .hostname("example.org"))
        #expect(uri.port == 5061)
        #expect(uri.transport == "tcp")
        #expect(uri.isLooseRouting)
        #expect(uri.maddr == "10.0.0.1")
        #expect(uri.headers.map(\.name) == ["subject", "priority"])
        #expect(uri.description == "sips:alice:pw@example.org:5061;transport=tcp;lr;maddr=10.0.0.1?subject=project%20x&priority=urgent")
    }

    @Test(arguments: [
        "sip:alice@example.org", "sip:example.org", "sip:+15551234567;phone-context=example.org@gw.example.org;user=phone",
        "sip:alice@192.0.2.1:5060", "sip:alice@[2001:db8::1]:5070;transport=tls", "sip:[::1]",
        "sip:df7jal23ls0d.invalid;transport=ws", "sip:bob@example.org.", "sip:a@b-c.example.org",
        "sip:alice@[::ffff:192.0.2.1]",
    ])
    func validURIsRoundTrip(_ text: String) throws {
        let uri = try URI(parsing: text)
        #expect(uri.description == text)
        #expect(try URI(parsing: uri.description) == uri)
    }

    @Test(arguments: [
        "sip:", "sip:@example.org", "sip:alice@", "sip:alice@example.org:99999", "sip:alice@exa mple.org",
        "sip:2001:db8::10", "sip:[2001:db8:::192.0.2.1]", "sip:[2001:db8::1", "sip:alice@-example.org",
        "sip:alice@example.org;=x", "sip:alice@example.org;a=", "sip:al%zzice@example.org", "<sip:a@b>",
        "sip:alice@example.org?", "sip:alice@1example", "noscheme", "1sip:a@b", "tel:", "sip:[1:2:3:4:5:6:7:8:9]",
    ])
    func invalidURIsAreRejected(_ text: String) {
        #expect(throws: SIPParseError.self) { try URI(parsing: text) }
    }

    @Test func telURI() throws {
        guard case .tel(let tel) = try URI(parsing: "tel:+1-201-555-0123;ext=42") else {
            Issue.record("not a tel URI")
            return
        }
        #expect(tel.isGlobal)
        #expect(tel.digits == "+12015550123")
        #expect(tel.parameters.first(named: "ext")?.value == "42")
    }

    @Test func otherSchemesAreKeptOpaque() throws {
        #expect(try URI(parsing: "urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6").scheme == "urn")
        #expect(try URI(parsing: "http://www.example.com/a?b=c").description == "http://www.example.com/a?b=c")
    }

    @Test(arguments: [
        ("::", true), ("::1", true), ("2001:db8::", true), ("1:2:3:4:5:6:7:8", true), ("1:2:3:4:5:6:7::", true),
        ("::ffff:192.0.2.1", true), ("2001:db8::10:5070", true), ("1:2:3:4:5:6:192.0.2.1", true),
        (":1", false), ("1:", false), ("1::2::3", false), ("12345::", false), ("1:2:3:4:5:6:7:8:9", false),
        ("2001:db8:::1", false), ("1:2:3:4:5:6:7:192.0.2.1", false), ("g::1", false),
    ])
    func ipv6Validation(_ address: String, _ valid: Bool) {
        let parsed = try? SIPHost(parsing: "[\(address)]")
        #expect((parsed == .ipv6(address)) == valid)
    }

    @Test func hostKinds() throws {
        #expect(try SIPHost(parsing: "192.0.2.1") == .ipv4("192.0.2.1"))
        #expect(throws: SIPParseError.self) { try SIPHost(parsing: "256.0.2.1") }
        #expect(try SIPHost(parsing: "example.org") == .hostname("example.org"))
        #expect(try SIPHost(parsing: "2001:db8::1") == .ipv6("2001:db8::1"))
        #expect(SIPHost.ipv6("::1").description == "[::1]")
        #expect(SIPHost.ipv6("::1").addressText == "::1")
    }

    @Test func percentEncoding() {
        #expect(PercentEncoding.unescape("a%20b%2541") == "a b%41")
        #expect(PercentEncoding.escapeUser("a b@c") == "a%20b%40c")
        #expect(PercentEncoding.unescapedBytes("%00x") == [0, UInt8(ascii: "x")])
    }

    /// RFC 3261 section 7.3.1: parameter names compare case-insensitively, letters only.
    @Test func parameterNamesCompareWithoutCase() throws {
        let parameters = [GenericParameter(name: "LR"), GenericParameter(name: "Transport", value: "tcp"),
                          GenericParameter(name: "x@")]
        #expect(parameters.first(named: "lr") != nil)
        #expect(parameters.first(named: "transport")?.value == "tcp")
        #expect(parameters.first(named: "TRANSPORT")?.value == "tcp")
        #expect(parameters.first(named: "x`") == nil, "only letters fold")
        #expect(parameters.first(named: "l") == nil)
    }
}
