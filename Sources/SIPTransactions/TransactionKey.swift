import SIPCore

/// What matches a message to its transaction.
///
/// RFC 3261 section 17.2.3 (server side): with a branch that starts with the magic cookie, the branch and the
/// sent-by of the top Via and the method, where ACK counts as INVITE. Without the cookie, the RFC 2543 rule:
/// Request-URI, To tag, From tag, Call-ID, CSeq and top Via.
/// RFC 3261 section 17.1.3 (client side): the top Via branch of the response and the CSeq method.
public struct TransactionKey: Hashable, Sendable, CustomStringConvertible {
    enum Identity: Hashable, Sendable {
        /// An RFC 3261 branch; `sentBy` is nil on the client side, where section 17.1.3 does not use it.
        case branch(CaseFoldedToken, sentBy: CaseFoldedToken?)
        /// The RFC 2543 fallback for branches without the cookie.
        case legacy(LegacyIdentity)
    }

    /// RFC 3261 section 17.2.3, the backward-compatible match, kept simple: the To tag is left out for INVITE
    /// and ACK, since an ACK carries the tag of our response and the INVITE carried none. Call-ID is compared
    /// byte for byte (section 20.8); tags and the Via text case-insensitively (section 7.3.1).
    struct LegacyIdentity: Hashable, Sendable {
        var requestURI: String
        var fromTag: CaseFoldedToken?
        var toTag: CaseFoldedToken?
        var callID: String
        var sequence: UInt32
        var topVia: CaseFoldedToken
    }

    let identity: Identity
    /// The request method; ACK is recorded as INVITE on the server side.
    public let method: SIPMethod

    init(identity: Identity, method: SIPMethod) {
        self.identity = identity
        self.method = method
    }

    public var description: String {
        switch identity {
        case .branch(let branch, let sentBy):
            return "\(branch)|\(sentBy?.value ?? "-")|\(method)"
        case .legacy(let legacy):
            return "rfc2543|\(legacy.callID)|\(legacy.sequence)|\(method)"
        }
    }

    /// The key of the server transaction a request belongs to (RFC 3261 section 17.2.3); nil without a
    /// readable top Via (or, for RFC 2543 requests, Call-ID and CSeq).
    public static func server(for request: SIPRequest) -> TransactionKey? {
        server(for: request, method: request.method)
    }

    /// The key with `method` in place of the request's: ACK is matched to the INVITE (section 17.2.3) and a
    /// CANCEL finds the INVITE it cancels with the same rule (section 9.2).
    static func server(for request: SIPRequest, method requestMethod: SIPMethod) -> TransactionKey? {
        guard let via = try? request.headers.topVia else { return nil }
        // RFC 3261 section 17.2.3: "except for ACK, where the method of the request that created the
        // transaction is INVITE".
        let method = requestMethod == .ack ? SIPMethod.invite : requestMethod
        // Branch.isRFC3261 checks the cookie as written in section 8.1.1.7 ("z9hG4bK"); the rest of the branch
        // compares case-insensitively.
        if let branch = via.branch, branch.isRFC3261 {
            return TransactionKey(
                identity: .branch(CaseFoldedToken(branch.value), sentBy: CaseFoldedToken(sentBy(of: via))),
                method: method)
        }
        guard let callID = try? request.headers.callID, let cseq = try? request.headers.cseq else { return nil }
        let fromTag = (try? request.headers.from)?.tag
        let toTag: Tag? = method == .invite ? nil : (try? request.headers.to)?.tag
        let legacy = LegacyIdentity(
            requestURI: request.uri.description,
            fromTag: fromTag.map { CaseFoldedToken($0.value) },
            toTag: toTag.map { CaseFoldedToken($0.value) },
            callID: callID.value,
            sequence: cseq.sequence,
            topVia: CaseFoldedToken(via.headerValue))
        return TransactionKey(identity: .legacy(legacy), method: method)
    }

    /// The key a client transaction is found by: its request's top Via branch and method (section 17.1.3).
    /// Nil when the request has no branch: the TU must put one there (section 8.1.1.7).
    public static func client(for request: SIPRequest) -> TransactionKey? {
        guard let via = try? request.headers.topVia, let branch = via.branch else { return nil }
        return TransactionKey(identity: .branch(CaseFoldedToken(branch.value), sentBy: nil), method: request.method)
    }

    /// The key of the client transaction a response belongs to (RFC 3261 section 17.1.3): "the same value of
    /// the branch parameter in the top Via header field" and "the method parameter in the CSeq header field".
    public static func client(for response: SIPResponse) -> TransactionKey? {
        guard let via = try? response.headers.topVia, let branch = via.branch,
            let cseq = try? response.headers.cseq
        else { return nil }
        return TransactionKey(identity: .branch(CaseFoldedToken(branch.value), sentBy: nil), method: cseq.method)
    }

    /// sent-by = host [ COLON port ] (RFC 3261 section 20.42), as written.
    private static func sentBy(of via: Via) -> String {
        guard let port = via.port else { return via.host.description }
        return "\(via.host.description):\(port)"
    }
}
