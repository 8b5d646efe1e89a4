import NIOCore
import SIPCore
import SIPServices
import Testing

/// The proxy's response context, best-response choice, request rewriting and flow tokens
/// (RFC 3261 sections 16.6, 16.7, 9.1; RFC 5626 section 5.2).
@Suite("Proxy core")
struct ProxyCoreTests {
    static let invite = """
        INVITE sip:bob@localhost SIP/2.0\r
        Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bKcaller1\r
        Max-Forwards: 70\r
        Route: <sip:edge.example;lr>\r
        From: <sip:alice@localhost>;tag=a1\r
        To: <sip:bob@localhost>\r
        Call-ID: call-1\r
        CSeq: 7 INVITE\r
        Content-Length: 0\r
        \r

        """

    static func branchRequest(_ branch: String) throws -> SIPRequest {
        let original = try Fixtures.request(invite)
        let via = Via(transport: "UDP", host: .ipv4("127.0.0.1"), port: 5060,
                      parameters: [GenericParameter(name: "branch", value: branch)])
        return try ProxyForwarding.forward(original, requestURI: nil, via: via)
    }

    /// A response as it reaches the context: our Via already removed.
    static func response(_ status: Int, to request: SIPRequest, tag: String = "b") -> SIPResponse {
        var response = SIPResponse(replyingTo: request, status: SIPStatus(status), toTag: Tag(tag))
        response.headers.removeFirstValue(.via)
        return response
    }

    @Test func forwardingRewritesPerSection16_6() throws {
        let original = try Fixtures.request(Self.invite)
        let via = Via(transport: "WSS", host: .hostname("localhost"), port: 8443,
                      parameters: [GenericParameter(name: "branch", value: "z9hG4bKproxy")])
        let recordRoute = NameAddress(uri: .sip(SIPURI(host: .ipv4("127.0.0.1"), port: 5060, parameters: [GenericParameter(name: "lr")])))
        let forwarded = try ProxyForwarding.forward(
            original, requestURI: try URI(parsing: "sip:bob@203.0.113.9:5080"), via: via, recordRoute: [recordRoute])
        #expect(forwarded.uri.description == "sip:bob@203.0.113.9:5080")
        #expect(try forwarded.headers.maxForwards == 69)
        #expect(try forwarded.headers.via.count == 2)
        #expect(try forwarded.headers.topVia?.branch?.value == "z9hG4bKproxy")
        #expect(try forwarded.headers.recordRoute.first?.uri.description == "sip:127.0.0.1:5060;lr")
        // The Route of the original stays (loose routing).
        #expect(try forwarded.headers.route.count == 1)
    }

    @Test func cancelCopiesTheBranchRequest() throws {
        let sent = try Self.branchRequest("z9hG4bKbranch1")
        let cancel = ProxyForwarding.cancel(for: sent)
        #expect(cancel.method == .cancel)
        #expect(cancel.uri == sent.uri)
        #expect(try cancel.headers.via.count == 1)
        #expect(try cancel.headers.topVia?.branch?.value == "z9hG4bKbranch1")
        #expect(try cancel.headers.cseq == CSeq(7, .cancel))
        #expect(try cancel.headers.callID?.value == "call-1")
        #expect(try cancel.headers.route.count == 1)
    }

    @Test func provisionalsGoUpButNot100() throws {
        var context = ResponseContext<Int>(isInvite: true)
        let request = try Self.branchRequest("z9hG4bKb1")
        context.addBranch(1, forwarded: request)
        #expect(context.receive(Self.response(100, to: request), on: 1).upstream == nil)
        let ringing = context.receive(Self.response(180, to: request), on: 1)
        #expect(ringing.upstream == .forward(Self.response(180, to: request)))
    }

    @Test func twoXXGoesUpAtOnceAndCancelsTheOthers() throws {
        var context = ResponseContext<Int>(isInvite: true)
        let first = try Self.branchRequest("z9hG4bKb1")
        let second = try Self.branchRequest("z9hG4bKb2")
        context.addBranch(1, forwarded: first)
        context.addBranch(2, forwarded: second)
        _ = context.receive(Self.response(180, to: second), on: 2)
        let ok = context.receive(Self.response(200, to: first), on: 1)
        #expect(ok.upstream == .forward(Self.response(200, to: first)))
        #expect(ok.cancels.map(\.branch) == [2])
        #expect(try ok.cancels.first?.cancel.headers.topVia?.branch?.value == "z9hG4bKb2")
        // The cancelled branch's 487 is absorbed: a final already went up.
        #expect(context.receive(Self.response(487, to: second), on: 2).upstream == nil)
    }

    @Test func bestResponseWaitsForEveryBranch() throws {
        var context = ResponseContext<Int>(isInvite: true)
        let first = try Self.branchRequest("z9hG4bKb1")
        let second = try Self.branchRequest("z9hG4bKb2")
        context.addBranch(1, forwarded: first)
        context.addBranch(2, forwarded: second)
        #expect(context.receive(Self.response(486, to: first), on: 1).upstream == nil)
        let last = context.fail(2, status: SIPStatus(408), reason: "Request Timeout")
        guard case .final(let best) = last.upstream else { Issue.record("no final"); return }
        // Section 16.7 step 6: the lowest class, 4xx; either 486 or 408 may be chosen, 486 came first.
        #expect(best.status.code == 486)
        #expect(try best.headers.via.count == 1, "the synthesized branch failure carries no proxy Via")
    }

    @Test func sixXXCancelsPendingBranches() throws {
        var context = ResponseContext<Int>(isInvite: true)
        let first = try Self.branchRequest("z9hG4bKb1")
        let second = try Self.branchRequest("z9hG4bKb2")
        context.addBranch(1, forwarded: first)
        context.addBranch(2, forwarded: second)
        _ = context.receive(Self.response(183, to: second), on: 2)
        let decline = context.receive(Self.response(603, to: first), on: 1)
        #expect(decline.cancels.map(\.branch) == [2])
        let final = context.receive(Self.response(487, to: second), on: 2)
        #expect(final.upstream.map { if case .final(let r) = $0 { return r.status.code } else { return 0 } } == 603)
    }

    @Test func cancelWaitsForAProvisional() throws {
        var context = ResponseContext<Int>(isInvite: true)
        let request = try Self.branchRequest("z9hG4bKb1")
        context.addBranch(1, forwarded: request)
        #expect(context.cancel().isEmpty, "section 9.1: no CANCEL before a provisional")
        let ringing = context.receive(Self.response(180, to: request), on: 1)
        #expect(ringing.cancels.map(\.branch) == [1])
    }

    @Test func timerCCancelsRingingBranchesAndTimesOutSilentOnes() throws {
        var context = ResponseContext<Int>(isInvite: true)
        let ringing = try Self.branchRequest("z9hG4bKb1")
        let silent = try Self.branchRequest("z9hG4bKb2")
        context.addBranch(1, forwarded: ringing)
        context.addBranch(2, forwarded: silent)
        _ = context.receive(Self.response(180, to: ringing), on: 1)
        let fired = context.timerCFired()
        #expect(fired.cancels.map(\.branch) == [1])
        let final = context.receive(Self.response(487, to: ringing), on: 1)
        #expect(final.upstream.map { if case .final(let r) = $0 { return r.status.code } else { return 0 } } == 408)
    }

    @Test func bestResponseRules() throws {
        let request = try Fixtures.request(Self.invite)
        func response(_ code: Int, challenge: String? = nil) -> SIPResponse {
            var response = SIPResponse(replyingTo: request, status: SIPStatus(code))
            if let challenge { response.headers.append(.proxyAuthenticate, challenge) }
            return response
        }
        #expect(BestResponse.choose([response(404), response(500), response(302)])?.status.code == 302)
        #expect(BestResponse.choose([response(404), response(603), response(486)])?.status.code == 603)
        #expect(BestResponse.choose([response(404), response(407)])?.status.code == 407, "actionable 4xx preferred")
        #expect(BestResponse.choose([response(503)])?.status.code == 500, "503 becomes 500")
        let merged = BestResponse.choose([response(407, challenge: "Digest realm=\"a\""), response(407, challenge: "Digest realm=\"b\"")])
        #expect(merged?.headers.all(.proxyAuthenticate).count == 2, "section 16.7 step 7: challenges collected")
        #expect(BestResponse.choose([]) == nil)
    }

    @Test func flowTokensRoundTripAndResistTampering() throws {
        let tokens = FlowToken(secret: Array("a test secret of some length".utf8))
        let source = SIPSource(transport: .wss, remote: SIPPeerAddress(host: "::1", port: 50_123), flow: FlowID(42))
        let callID = CallID("dialog-1")
        let token = tokens.encode(source, callID: callID)
        #expect(tokens.decode(token, callID: callID) == source)
        #expect(token.allSatisfy { $0.isLetter || $0.isNumber || $0 == "." })
        // Another flow number with the same MAC is refused, and so is the token in another dialog.
        let forged = "43" + token.dropFirst(2)
        #expect(tokens.decode(String(forged), callID: callID) == nil)
        #expect(tokens.decode(token, callID: CallID("dialog-2")) == nil)
        #expect(FlowToken(secret: Array("another secret".utf8)).decode(token, callID: callID) == nil)
        #expect(tokens.decode("garbage", callID: callID) == nil)
    }

    @Test func localAddressesKnowDomainAndListeners() throws {
        let local = LocalAddresses(domain: "Example.ORG", hosts: ["127.0.0.1", "::1"], ports: [5060, 5061])
        #expect(local.isLocal(try SIPURI(parsing: "sip:alice@example.org:9999")))
        #expect(local.isLocal(try SIPURI(parsing: "sip:127.0.0.1")))
        #expect(local.isLocal(try SIPURI(parsing: "sip:[::1]:5061")))
        #expect(!local.isLocal(try SIPURI(parsing: "sip:127.0.0.1:5070")))
        #expect(!local.isLocal(try SIPURI(parsing: "sip:example.com")))
        #expect(local.isLocalDomain(try SIPURI(parsing: "sip:bob@EXAMPLE.org")))
    }
}
