import ICELite
import NIOCore
import STUN
import Testing

private typealias Support = ICETestSupport

@Suite("ICE lite agent: answering checks")
struct ICELiteAgentTests {
    static func agent() -> ICELiteAgent {
        ICELiteAgent(local: Support.local, remote: Support.remote)
    }

    @Test func successfulCheckIsAnsweredWithTheMappedAddress() throws {
        var agent = Self.agent()
        let outcome = Support.handle(&agent, Support.check(), at: Support.at(seconds: 1))
        let response = try #require(Support.response(outcome))
        #expect(response.view.messageClass == .successResponse)
        #expect(response.view.method == STUNMethod.binding)
        #expect(response.view.transactionID == Support.transactionID)
        #expect(response.view.xorMappedAddress == Support.peer)
        #expect(response.view.errorCode == nil)
        #expect(response.view.hasMessageIntegrity)
        #expect(response.isSigned(with: Support.local.password))
        #expect(!response.isSigned(with: Support.remote.password))
        #expect(response.hasValidFingerprint)
        #expect(agent.isValidated(Support.peer))
        #expect(!agent.isValidated(Support.otherPeer))
        #expect(agent.selectedAddress == nil)
        #expect(agent.consentDeadline == nil)
        #expect(!agent.consentExpired(now: Support.at(seconds: 1000)))
    }

    @Test func ipv6SourceIsMapped() throws {
        var agent = Self.agent()
        let outcome = Support.handle(&agent, Support.check(), from: Support.peer6, at: Support.at(seconds: 1))
        let response = try #require(Support.response(outcome))
        #expect(response.view.xorMappedAddress == Support.peer6)
        #expect(response.isSigned(with: Support.local.password))
        #expect(agent.isValidated(Support.peer6))
        #expect(!agent.isValidated(Support.peer))
    }

    @Test func sha256IntegrityIsAnsweredInKind() throws {
        var agent = Self.agent()
        let outcome = Support.handle(&agent, Support.check(integrity: .sha256), at: Support.at(seconds: 1))
        let response = try #require(Support.response(outcome))
        #expect(response.view.messageClass == .successResponse)
        #expect(response.view.hasMessageIntegritySHA256)
        #expect(!response.view.hasMessageIntegrity)
        #expect(response.isSignedSHA256(with: Support.local.password))
        #expect(agent.isValidated(Support.peer))
    }

    /// RFC 8489 section 9.1.3: a wrong MESSAGE-INTEGRITY is answered 401, without MESSAGE-INTEGRITY.
    @Test(arguments: ["notThePasswordAtAll1234", ICETestSupport.remote.password, ""])
    func wrongPasswordIsAnswered401(password: String) throws {
        var agent = Self.agent()
        let outcome = Support.handle(&agent, Support.check(password: password), at: Support.at(seconds: 1))
        let response = try #require(Support.response(outcome))
        #expect(response.view.messageClass == .errorResponse)
        #expect(response.view.method == STUNMethod.binding)
        #expect(response.view.transactionID == Support.transactionID)
        #expect(response.view.errorCode == 401)
        #expect(response.view.errorReason == "Unauthenticated")
        #expect(!response.view.hasMessageIntegrity)
        #expect(response.hasValidFingerprint)
        #expect(!agent.isValidated(Support.peer))
    }

    /// RFC 8445 section 7.2.2: USERNAME is "<our ufrag>:<their ufrag>", byte for byte.
    @Test(arguments: [
        "XXXX:FuLL", "LiTe:XXXX", "lite:FuLL", "LiTe:full", "LiTeFuLL", "LiTe", ":FuLL", "LiTe:FuLL:x", "",
    ])
    func wrongUsernameIsAnswered401(username: String) throws {
        var agent = Self.agent()
        let outcome = Support.handle(&agent, Support.check(username: username), at: Support.at(seconds: 1))
        let response = try #require(Support.response(outcome))
        #expect(response.view.errorCode == 401)
        #expect(!response.view.hasMessageIntegrity)
        #expect(!agent.isValidated(Support.peer))
    }

    /// The remote half of USERNAME is checked only once the remote ufrag is known.
    @Test func remoteUfragIsCheckedOnceKnown() throws {
        var agent = ICELiteAgent(local: Support.local, remote: nil)
        let early = Support.handle(&agent, Support.check(username: "LiTe:anything"), at: Support.at(seconds: 1))
        let earlyResponse = try #require(Support.response(early))
        #expect(earlyResponse.view.messageClass == .successResponse)
        let wrongLocal = Support.handle(&agent, Support.check(username: "XXXX:anything"), at: Support.at(seconds: 1))
        let wrongLocalResponse = try #require(Support.response(wrongLocal))
        #expect(wrongLocalResponse.view.errorCode == 401)

        agent.setRemote(Support.remote)
        #expect(agent.remote == Support.remote)
        let late = Support.handle(&agent, Support.check(username: "LiTe:anything"), at: Support.at(seconds: 2))
        let lateResponse = try #require(Support.response(late))
        #expect(lateResponse.view.errorCode == 401)
        let right = Support.handle(&agent, Support.check(), at: Support.at(seconds: 2))
        let rightResponse = try #require(Support.response(right))
        #expect(rightResponse.view.messageClass == .successResponse)
    }

    /// RFC 8489 section 9.1.3: no MESSAGE-INTEGRITY or no USERNAME is answered 400.
    @Test func missingIntegrityOrUsernameIsAnswered400() throws {
        var agent = Self.agent()
        let noIntegrity = Support.handle(&agent, Support.check(integrity: .missing), at: Support.at(seconds: 1))
        let first = try #require(Support.response(noIntegrity))
        #expect(first.view.errorCode == 400)
        #expect(first.view.errorReason == "Bad Request")
        #expect(!first.view.hasMessageIntegrity)
        #expect(first.hasValidFingerprint)

        let noUsername = Support.handle(&agent, Support.check(username: nil), at: Support.at(seconds: 1))
        let noUsernameResponse = try #require(Support.response(noUsername))
        #expect(noUsernameResponse.view.errorCode == 400)
        #expect(!agent.isValidated(Support.peer))
    }

    @Test func requestWithoutAValidFingerprintIsDropped() {
        var agent = Self.agent()
        let missing = Support.handle(&agent, Support.check(fingerprint: false), at: Support.at(seconds: 1))
        #expect(missing == .drop(.missingFingerprint))

        var damaged = Support.check()
        damaged[damaged.count - 1] ^= 0x01
        let bad = Support.handle(&agent, damaged, at: Support.at(seconds: 1))
        #expect(bad == .drop(.badFingerprint))
        #expect(!agent.isValidated(Support.peer))
    }

    /// A lite agent is always controlled (RFC 8445 section 6.1.1): a peer claiming to be controlled too gets
    /// 487, signed, and nothing is validated or selected.
    @Test(arguments: [nil, 7] as [UInt64?])
    func controlledPeerIsAnswered487(controlling: UInt64?) throws {
        var agent = Self.agent()
        let request = Support.check(useCandidate: true, controlling: controlling, controlled: 0xFFFF_FFFF_FFFF_FFFF)
        let outcome = Support.handle(&agent, request, at: Support.at(seconds: 1))
        let response = try #require(Support.response(outcome))
        #expect(response.view.messageClass == .errorResponse)
        #expect(response.view.errorCode == 487)
        #expect(response.view.errorReason == "Role Conflict")
        #expect(response.isSigned(with: Support.local.password))
        #expect(response.hasValidFingerprint)
        #expect(!agent.isValidated(Support.peer))
        #expect(agent.selectedAddress == nil)
    }

    /// A check without either role attribute is not a conflict.
    @Test func checkWithoutRoleAttributesSucceeds() throws {
        var agent = Self.agent()
        let outcome = Support.handle(&agent, Support.check(controlling: nil), at: Support.at(seconds: 1))
        let outcomeResponse = try #require(Support.response(outcome))
        #expect(outcomeResponse.view.messageClass == .successResponse)
    }

    /// RFC 8489 section 6.3.1: unknown comprehension-required attributes are answered 420 with
    /// UNKNOWN-ATTRIBUTES, after authentication; unknown optional ones are ignored.
    @Test func unknownRequiredAttributeIsAnswered420() throws {
        var agent = Self.agent()
        let outcome = Support.handle(&agent, Support.check(unknownAttribute: 0x7ABC), at: Support.at(seconds: 1))
        let response = try #require(Support.response(outcome))
        #expect(response.view.errorCode == 420)
        #expect(response.isSigned(with: Support.local.password))
        let unknownAttributes: [UInt8] = [0x00, 0x0A, 0x00, 0x02, 0x7A, 0xBC]
        #expect(response.bytes.firstRange(of: unknownAttributes) != nil)
        #expect(!agent.isValidated(Support.peer))

        let unauthenticated = Support.check(password: "wrong", unknownAttribute: 0x7ABC)
        let refused = Support.handle(&agent, unauthenticated, at: Support.at(seconds: 1))
        let refusedResponse = try #require(Support.response(refused))
        #expect(refusedResponse.view.errorCode == 401)

        let optional = Support.handle(&agent, Support.check(unknownAttribute: 0xC057), at: Support.at(seconds: 1))
        let optionalResponse = try #require(Support.response(optional))
        #expect(optionalResponse.view.messageClass == .successResponse)
    }

    @Test func onlyBindingRequestsAreHandled() throws {
        var agent = Self.agent()
        let now = Support.at(seconds: 1)
        let garbage = Support.handle(&agent, [0x00, 0x01, 0x02], at: now)
        #expect(garbage == .drop(.notSTUN))
        let media = Support.handle(&agent, [UInt8](repeating: 0x80, count: 40), at: now)
        #expect(media == .drop(.notSTUN))
        let indication = Support.handle(&agent, Support.check(messageClass: .indication), at: now)
        #expect(indication == .drop(.indication))
        var keepalive = STUNMessageBuilder(
            method: STUNMethod.binding, messageClass: .indication, transactionID: Support.transactionID)
        keepalive.appendFingerprint()
        let bareKeepalive = Support.handle(&agent, keepalive.finish(), at: now)
        #expect(bareKeepalive == .drop(.indication))
        let success = Support.handle(&agent, Support.check(messageClass: .successResponse), at: now)
        #expect(success == .drop(.response))
        let failure = Support.handle(&agent, Support.check(messageClass: .errorResponse), at: now)
        #expect(failure == .drop(.response))
        let allocate = Support.handle(&agent, Support.check(method: 0x003), at: now)
        #expect(allocate == .drop(.unsupportedMethod))
        #expect(!agent.isValidated(Support.peer))
        #expect(agent.selectedAddress == nil)
    }
}
