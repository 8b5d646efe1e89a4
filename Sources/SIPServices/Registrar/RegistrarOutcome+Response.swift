import SIPCore

extension RegistrarOutcome {
    /// The response to `request`. A 200 lists one Contact per binding with `;expires=` set to the time it
    /// has left (RFC 3261 section 10.3 step 8), `Require: outbound` and `Supported: outbound` when
    /// outbound was used (RFC 5626 section 6), and the Path when the client supports it (RFC 3327
    /// section 5.3). `toTag` goes on the To header when it has none (RFC 3261 section 8.2.6.2).
    public func makeResponse(to request: SIPRequest, toTag: Tag? = nil) -> SIPResponse {
        switch self {
        case .ok(let result):
            var response = SIPResponse(replyingTo: request, status: .ok, toTag: toTag)
            for contact in result.contacts {
                var address = contact.binding.contact
                address.parameters.set("expires", to: String(contact.expiresIn))
                response.headers.append(.contact, address.headerValue)
            }
            if result.requireOutbound { response.headers.append(.require, "outbound") }
            if result.usedOutbound { response.headers.append(.supported, "outbound") }
            if !result.path.isEmpty {
                response.headers.append(.path, result.path.map(\.headerValue).joined(separator: ", "))
            }
            return response
        case .reject(let status, let reason, let extraHeaders):
            var response = SIPResponse(replyingTo: request, status: status, reasonPhrase: reason, toTag: toTag)
            for field in extraHeaders { response.headers.append(field) }
            return response
        }
    }
}
