import SIPCore

/// What a server transport does to a request on arrival (RFC 3261 section 18.2.1, RFC 3581 section 4),
/// and where the responses to it go (RFC 3261 section 18.2.2, RFC 3581 section 4).
enum ReceivedStamp {
    /// Adds `received` when the sent-by host is not the packet's source address, fills an empty `rport`
    /// with the source port, and returns the source to answer: for UDP, the source address when rport
    /// was asked for, otherwise the received address with the sent-by port.
    static func apply(to request: inout SIPRequest, source: SIPSource) throws(SIPParseError) -> SIPSource {
        guard var via = try request.headers.topVia else {
            throw SIPParseError(.missingHeader(header: "Via"), detail: "missing Via")
        }
        var changed = false
        let wantsRPort = via.wantsRPort
        // RFC 3581 section 4: with rport, received is added even when it equals the sent-by host.
        if wantsRPort || via.host.addressText.lowercased() != source.remote.host.lowercased() {
            via.parameters.set("received", to: source.remote.host)
            changed = true
        }
        if wantsRPort {
            via.parameters.set("rport", to: "\(source.remote.port)")
            changed = true
        }
        if changed {
            request.headers.removeFirstValue(.via)
            request.headers.prepend(.via, via.headerValue)
        }
        guard source.transport == .udp, !wantsRPort else { return source }
        var answerTo = source
        answerTo.remote.port = via.port ?? 5060
        return answerTo
    }
}
