import ICELite
import NIOCore
import STUN
import Testing

private typealias Support = ICETestSupport

@Suite("ICE lite agent: validation, nomination, consent, restart")
struct ICELiteSelectionTests {
    static func agent() -> ICELiteAgent {
        ICELiteAgent(local: Support.local, remote: Support.remote)
    }

    static let newLocal = ICECredentials(ufrag: "NeWl", password: "newLitePassword+24chars/")
    static let newRemote = ICECredentials(ufrag: "NeWr", password: "newFullAgentPassword22")

    @Test func nominationSelectsAndALaterOneMoves() throws {
        var agent = Self.agent()
        // A check without USE-CANDIDATE validates but does not select.
        _ = Support.handle(&agent, Support.check(), from: Support.peer, at: Support.at(seconds: 1))
        #expect(agent.isValidated(Support.peer))
        #expect(agent.selectedAddress == nil)

        let nominated = Support.handle(
            &agent, Support.check(useCandidate: true), from: Support.peer, at: Support.at(seconds: 2))
        let nominatedResponse = try #require(Support.response(nominated))
        #expect(nominatedResponse.view.messageClass == .successResponse)
        #expect(agent.selectedAddress == Support.peer)
        #expect(agent.lastConsent == Support.at(seconds: 2))
        #expect(agent.consentDeadline == Support.at(seconds: 32))

        // A check from elsewhere validates that address and leaves the selection alone.
        _ = Support.handle(&agent, Support.check(), from: Support.otherPeer, at: Support.at(seconds: 3))
        #expect(agent.isValidated(Support.otherPeer))
        #expect(agent.selectedAddress == Support.peer)
        #expect(agent.consentDeadline == Support.at(seconds: 32))

        // A later nomination replaces the selection (RFC 8445 section 8.2).
        _ = Support.handle(
            &agent, Support.check(useCandidate: true), from: Support.otherPeer, at: Support.at(seconds: 4))
        #expect(agent.selectedAddress == Support.otherPeer)
        #expect(agent.consentDeadline == Support.at(seconds: 34))
        #expect(agent.isValidated(Support.peer))

        // A nomination that fails authentication, or carries ICE-CONTROLLED, changes nothing.
        _ = Support.handle(
            &agent, Support.check(password: "wrong-wrong-wrong-wrong", useCandidate: true), from: Support.peer6,
            at: Support.at(seconds: 5))
        _ = Support.handle(
            &agent, Support.check(useCandidate: true, controlled: 1), from: Support.peer6, at: Support.at(seconds: 5))
        #expect(agent.selectedAddress == Support.otherPeer)
        #expect(!agent.isValidated(Support.peer6))
    }

    @Test func unvalidatedAddressesAreNotValid() throws {
        var agent = Self.agent()
        #expect(!agent.isValidated(Support.peer))
        _ = Support.handle(&agent, Support.check(password: "wrong"), from: Support.peer, at: Support.at(seconds: 1))
        #expect(!agent.isValidated(Support.peer))
        _ = Support.handle(&agent, Support.check(), from: Support.otherPeer, at: Support.at(seconds: 1))
        #expect(!agent.isValidated(Support.peer))
        #expect(agent.isValidated(Support.otherPeer))
        // Same IP, other port: another transport address.
        let samePeerOtherPort = try SocketAddress(ipAddress: "198.51.100.20", port: 50_003)
        #expect(!agent.isValidated(samePeerOtherPort))
    }

    /// At most `validatedAddressLimit` addresses are kept; the least recently validated goes first.
    @Test func validatedAddressesAreBounded() throws {
        #expect(ICELiteAgent.validatedAddressLimit == 8)
        var agent = Self.agent()
        let addresses = try (0..<9).map { try SocketAddress(ipAddress: "203.0.113.\($0 + 1)", port: 40_000) }
        for (index, address) in addresses.prefix(8).enumerated() {
            _ = Support.handle(&agent, Support.check(), from: address, at: Support.at(seconds: Int64(index)))
        }
        for address in addresses.prefix(8) {
            #expect(agent.isValidated(address))
        }
        // Validating the first again makes the second the oldest, so the ninth evicts the second.
        _ = Support.handle(&agent, Support.check(), from: addresses[0], at: Support.at(seconds: 10))
        _ = Support.handle(&agent, Support.check(), from: addresses[8], at: Support.at(seconds: 11))
        #expect(agent.isValidated(addresses[0]))
        #expect(!agent.isValidated(addresses[1]))
        for address in addresses[2...] {
            #expect(agent.isValidated(address))
        }
    }

    /// The selected address stays valid even when evicted from the validated list.
    @Test func selectedAddressOutlivesEviction() throws {
        var agent = Self.agent()
        _ = Support.handle(&agent, Support.check(useCandidate: true), from: Support.peer, at: Support.at(seconds: 0))
        for index in 0..<8 {
            let address = try SocketAddress(ipAddress: "203.0.113.\(index + 1)", port: 40_000)
            _ = Support.handle(&agent, Support.check(), from: address, at: Support.at(seconds: 1))
        }
        #expect(agent.selectedAddress == Support.peer)
        #expect(agent.isValidated(Support.peer))
    }

    /// RFC 7675 section 5.1: consent lasts 30 seconds from the last successful check on the selected address.
    @Test func consentExpiresThirtySecondsAfterTheLastCheck() {
        var agent = Self.agent()
        #expect(!agent.consentExpired(now: Support.at(seconds: 0)))
        _ = Support.handle(&agent, Support.check(useCandidate: true), at: Support.at(seconds: 0))
        #expect(agent.consentDeadline == Support.at(seconds: 30))
        #expect(!agent.consentExpired(now: Support.at(seconds: 0)))
        #expect(!agent.consentExpired(now: Support.at(milliseconds: 29_999)))
        #expect(agent.consentExpired(now: Support.at(seconds: 30)))
        #expect(agent.consentExpired(now: Support.at(seconds: 300)))
    }

    @Test func checksFromTheSelectedAddressRenewConsent() {
        var agent = Self.agent()
        _ = Support.handle(&agent, Support.check(useCandidate: true), at: Support.at(seconds: 0))

        // A plain check from the selected address renews consent.
        _ = Support.handle(&agent, Support.check(), from: Support.peer, at: Support.at(seconds: 20))
        #expect(agent.consentDeadline == Support.at(seconds: 50))
        #expect(!agent.consentExpired(now: Support.at(seconds: 31)))

        // Checks from another address, failed checks and keepalive indications do not.
        _ = Support.handle(&agent, Support.check(), from: Support.otherPeer, at: Support.at(seconds: 40))
        _ = Support.handle(&agent, Support.check(password: "wrong"), from: Support.peer, at: Support.at(seconds: 45))
        _ = Support.handle(
            &agent, Support.check(messageClass: .indication), from: Support.peer, at: Support.at(seconds: 46))
        _ = Support.handle(&agent, Support.check(controlled: 3), from: Support.peer, at: Support.at(seconds: 47))
        #expect(agent.consentDeadline == Support.at(seconds: 50))
        #expect(!agent.consentExpired(now: Support.at(milliseconds: 49_999)))
        #expect(agent.consentExpired(now: Support.at(seconds: 50)))
    }

    /// ICE restart: validated addresses are forgotten; the selected address stays, and the old credentials are
    /// answered, until the full agent checks and nominates with the new ones.
    @Test func restartKeepsTheSelectedPathUntilANewNomination() throws {
        var agent = Self.agent()
        _ = Support.handle(&agent, Support.check(useCandidate: true), from: Support.peer, at: Support.at(seconds: 0))
        _ = Support.handle(&agent, Support.check(), from: Support.otherPeer, at: Support.at(seconds: 1))
        #expect(agent.isValidated(Support.otherPeer))

        agent.restart(local: Self.newLocal, remote: Self.newRemote)
        #expect(agent.local == Self.newLocal)
        #expect(agent.remote == Self.newRemote)
        #expect(agent.selectedAddress == Support.peer)
        #expect(agent.isValidated(Support.peer))
        #expect(!agent.isValidated(Support.otherPeer))
        #expect(agent.consentDeadline == Support.at(seconds: 30))

        // A check with the old credentials on the selected path: answered with the old password, consent renewed.
        let old = Support.handle(&agent, Support.check(), from: Support.peer, at: Support.at(seconds: 10))
        let oldResponse = try #require(Support.response(old))
        #expect(oldResponse.view.messageClass == .successResponse)
        #expect(oldResponse.isSigned(with: Support.local.password))
        #expect(agent.consentDeadline == Support.at(seconds: 40))

        // Old credentials neither validate nor nominate anything new.
        _ = Support.handle(
            &agent, Support.check(useCandidate: true), from: Support.otherPeer, at: Support.at(seconds: 11))
        #expect(agent.selectedAddress == Support.peer)
        #expect(!agent.isValidated(Support.otherPeer))

        // The first check with the new credentials validates its address without selecting it...
        let fresh = Support.handle(
            &agent, Support.check(username: "NeWl:NeWr", password: Self.newLocal.password), from: Support.otherPeer,
            at: Support.at(seconds: 12))
        let freshResponse = try #require(Support.response(fresh))
        #expect(freshResponse.view.messageClass == .successResponse)
        #expect(freshResponse.isSigned(with: Self.newLocal.password))
        #expect(agent.isValidated(Support.otherPeer))
        #expect(agent.selectedAddress == Support.peer)

        // ...and ends the old credentials.
        let stale = Support.handle(&agent, Support.check(), from: Support.peer, at: Support.at(seconds: 13))
        let staleResponse = try #require(Support.response(stale))
        #expect(staleResponse.view.errorCode == 401)
        #expect(agent.consentDeadline == Support.at(seconds: 40))

        // A nomination with the new credentials moves the selection; the old path is no longer valid.
        _ = Support.handle(
            &agent, Support.check(username: "NeWl:NeWr", password: Self.newLocal.password, useCandidate: true),
            from: Support.otherPeer, at: Support.at(seconds: 14))
        #expect(agent.selectedAddress == Support.otherPeer)
        #expect(!agent.isValidated(Support.peer))
        #expect(agent.consentDeadline == Support.at(seconds: 44))
    }

    /// A restart before the remote description is known checks only our half of USERNAME.
    @Test func restartWithoutRemoteCredentials() throws {
        var agent = Self.agent()
        agent.restart(local: Self.newLocal, remote: nil)
        #expect(agent.remote == nil)
        let outcome = Support.handle(
            &agent, Support.check(username: "NeWl:whatever", password: Self.newLocal.password),
            at: Support.at(seconds: 1))
        let response = try #require(Support.response(outcome))
        #expect(response.view.messageClass == .successResponse)
        #expect(agent.isValidated(Support.peer))
    }
}

@Suite("ICE credentials")
struct ICECredentialsTests {
    static let iceChars = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// RFC 8839 section 5.4 grammar; RFC 8445 section 5.3 randomness (at least 24 and 128 bits).
    @Test func randomCredentialsFollowTheGrammar() {
        var generator = SplitMix64()
        let first = ICECredentials.random(using: &generator)
        let second = ICECredentials.random(using: &generator)
        #expect(first.ufrag.utf8.count == 8)
        #expect(first.password.utf8.count == 24)
        #expect(first.isValid)
        #expect(second.isValid)
        #expect(first.ufrag != second.ufrag)
        #expect(first.password != second.password)
        let onlyICEChars = (first.ufrag + first.password + second.ufrag + second.password).utf8.allSatisfy {
            Self.iceChars.contains($0)
        }
        #expect(onlyICEChars)

        var again = SplitMix64()
        let repeated = ICECredentials.random(using: &again)
        #expect(repeated == first)
    }

    @Test func validity() {
        #expect(ICECredentials(ufrag: "abcd", password: "abcdefghijklmnopqrstuv").isValid)
        #expect(!ICECredentials(ufrag: "abc", password: "abcdefghijklmnopqrstuv").isValid)
        #expect(!ICECredentials(ufrag: "abcd", password: "abcdefghijklmnopqrstu").isValid)
        #expect(!ICECredentials(ufrag: "ab:d", password: "abcdefghijklmnopqrstuv").isValid)
        #expect(!ICECredentials(ufrag: "abcd", password: "abcdefghijklmnopqrstu-").isValid)
        #expect(ICECredentials(ufrag: "a+/d", password: "+/+/+/+/+/+/+/+/+/+/+/").isValid)
    }
}
