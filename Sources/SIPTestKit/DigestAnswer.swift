import SIPCore

/// The Authorization value a client computes for a challenge (RFC 7616 section 3.4, qop=auth).
public enum DigestAnswer {
    public static func authorization(
        challenge: DigestChallenge, username: String, password: String, method: SIPMethod, uri: String,
        cnonce: String, nonceCount: UInt32 = 1
    ) -> String {
        let qop: DigestComputation.QualityOfProtection? = challenge.qopOptions.contains("auth") ? .auth : nil
        let nc = String(nonceCount, radix: 16)
        let ncText = String(repeating: "0", count: max(0, 8 - nc.count)) + nc
        // The -sess variants derive their HA1 inside `response` (RFC 7616 section 3.4.2).
        let ha1 = DigestComputation.ha1(
            algorithm: challenge.algorithm, username: username, realm: challenge.realm, password: password)
        let response = DigestComputation.response(
            algorithm: challenge.algorithm, ha1: ha1, nonce: challenge.nonce, method: method.rawValue, uri: uri,
            qop: qop, nonceCount: qop == nil ? "" : ncText, cnonce: cnonce)
        let credentials = DigestCredentials(
            username: username, realm: challenge.realm, nonce: challenge.nonce, uri: uri, response: response,
            algorithm: challenge.algorithm, cnonce: qop == nil ? nil : cnonce, opaque: challenge.opaque, qop: qop,
            nonceCount: qop == nil ? nil : ncText)
        return credentials.headerValue.headerValue
    }
}
