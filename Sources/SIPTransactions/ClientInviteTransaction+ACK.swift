import SIPCore

extension ClientInviteTransaction {
    /// RFC 3261 section 17.1.1.3: the ACK for a 300-699 final. Request-URI, Call-ID and From of the original
    /// request; To of the response (with its tag); the single top Via of the original; the CSeq number of the
    /// original with method ACK; the original's Route header fields. Max-Forwards is kept (section 8.1.1.6).
    static func makeACK(for request: SIPRequest, response: SIPResponse) -> SIPRequest {
        let original = request.headers
        var headers = SIPHeaders()
        if let via = try? original.topVia {
            headers.append(.via, via.headerValue)
        } else if let field = original.first(.via) {
            headers.append(field)
        }
        for field in original where field.name == .route {
            headers.append(field)
        }
        if let field = original.first(.maxForwards) {
            headers.append(field)
        } else {
            headers.append(.maxForwards, "70")
        }
        if let field = original.first(.from) {
            headers.append(field)
        }
        if let field = response.headers.first(.to) ?? original.first(.to) {
            headers.append(field)
        }
        if let field = original.first(.callID) {
            headers.append(field)
        }
        let sequence = (try? original.cseq)?.sequence ?? 0
        headers.append(.cseq, CSeq(sequence, .ack).headerValue)
        headers.append(.contentLength, "0")
        return SIPRequest(method: .ack, uri: request.uri, headers: headers)
    }
}
