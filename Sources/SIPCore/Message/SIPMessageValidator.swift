/// The checks every arriving message passes before an engine sees it (DESIGN.md convention 2: the core
/// set is validated on arrival; other headers are parsed when used).
public enum SIPMessageValidator {
    /// Headers that may appear once only (RFC 3261 section 7.3; RFC 4475 section 3.3.8 answers 400).
    static let singleHeaders: [HeaderName] = [.callID, .from, .to, .cseq, .maxForwards, .contentType]

    /// Syntax of the core headers that are present, multiplicity of single headers, and the CSeq method
    /// of a request. Missing headers are the element's concern: see `requireMandatoryHeaders`.
    public static func validate(_ head: SIPMessageHead) throws(SIPParseError) {
        let headers = head.headers
        for name in singleHeaders where headers.occurrences(of: name) > 1 {
            throw SIPParseError(.duplicateSingleHeader(header: name.description), detail: "more than one \(name)")
        }
        _ = try headers.via
        _ = try headers.from
        _ = try headers.to
        _ = try headers.callID
        let cseq = try headers.cseq
        _ = try headers.maxForwards
        _ = try headers.contact()

        if case .request(let method, _) = head.startLine, let cseq, cseq.method != method {
            // RFC 4475 sections 3.1.2.17 and 3.1.2.18: 400, or 501 when the method is unknown.
            throw SIPParseError(
                .methodMismatch, status: method.isStandard ? .badRequest : .notImplemented,
                detail: "CSeq method differs from the request method")
        }
    }

    /// RFC 3261 section 8.1.1: To, From, CSeq, Call-ID, Max-Forwards (requests) and Via are mandatory.
    /// Max-Forwards is not enforced: RFC 2543 elements omit it (RFC 4475 section 3.4.1).
    public static func requireMandatoryHeaders(_ headers: SIPHeaders) throws(SIPParseError) {
        for name in [HeaderName.via, .from, .to, .callID, .cseq] where !headers.contains(name) {
            throw SIPParseError(.missingHeader(header: name.description), detail: "missing \(name)")
        }
    }
}
