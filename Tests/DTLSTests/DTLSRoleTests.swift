import DTLS
import Testing

@Suite("DTLS role from a=setup")
struct DTLSRoleTests {
    /// RFC 5763 section 5 and RFC 8842 section 5.3, from the answerer's side: offer's setup -> our role, our setup.
    @Test(arguments: [
        ("actpass", DTLSRole.client, "active"),
        ("ACTPASS", .client, "active"),
        (" actpass ", .client, "active"),
        ("active", .server, "passive"),
        ("passive", .client, "active"),
    ])
    func answerer(remoteSetup: String, role: DTLSRole, localSetup: String) throws {
        let answer = try #require(DTLSRole.forAnswerer(remoteSetup: remoteSetup))
        #expect(answer.role == role)
        #expect(answer.localSetup == localSetup)
        #expect(DTLSRole(localSetupFor: remoteSetup, weAreOfferer: false) == role)
    }

    @Test(arguments: ["holdconn", "", "activepass", "client"])
    func answererRejects(remoteSetup: String) {
        #expect(DTLSRole.forAnswerer(remoteSetup: remoteSetup)?.role == nil)
        #expect(DTLSRole(localSetupFor: remoteSetup, weAreOfferer: false) == nil)
    }

    /// The offerer sent `actpass`: the answer's `active` makes us the server, `passive` the client.
    @Test func offerer() {
        #expect(DTLSRole.forOfferer(remoteAnswerSetup: "active") == .server)
        #expect(DTLSRole.forOfferer(remoteAnswerSetup: "Passive") == .client)
        #expect(DTLSRole(localSetupFor: "active", weAreOfferer: true) == .server)
        #expect(DTLSRole(localSetupFor: "passive", weAreOfferer: true) == .client)
        // RFC 8842 section 5.3: an answer must not say actpass.
        #expect(DTLSRole.forOfferer(remoteAnswerSetup: "actpass") == nil)
        #expect(DTLSRole.forOfferer(remoteAnswerSetup: "holdconn") == nil)
        #expect(DTLSRole(localSetupFor: "actpass", weAreOfferer: true) == nil)
    }

    /// Both ends of one exchange agree: exactly one of them is the client.
    @Test(arguments: ["actpass", "active", "passive"])
    func endsAreComplementary(offerSetup: String) throws {
        let answer = try #require(DTLSRole.forAnswerer(remoteSetup: offerSetup))
        let offererRole = try #require(DTLSRole.forOfferer(remoteAnswerSetup: answer.localSetup))
        #expect(offererRole != answer.role)
    }
}
