/// The digest response computation of RFC 7616 section 3.4 (with RFC 2617 compatibility when no qop is
/// given), as used by SIP (RFC 3261 section 22.4, RFC 8760).
public enum DigestComputation {
    /// The quality of protection of one request (RFC 7616 section 3.4.2 and 3.4.3).
    public enum QualityOfProtection: String, Hashable, Sendable {
        case auth
        case authInt = "auth-int"
    }

    /// H(username ":" realm ":" password): what a store keeps instead of the password.
    public static func ha1(algorithm: DigestAlgorithm, username: String, realm: String, password: String) -> String
    {
        algorithm.hash("\(username):\(realm):\(password)")
    }

    /// For the -sess algorithms, HA1 is rehashed with the nonces (RFC 7616 section 3.4.2).
    public static func sessionHA1(algorithm: DigestAlgorithm, ha1: String, nonce: String, cnonce: String) -> String {
        algorithm.isSession ? algorithm.hash("\(ha1):\(nonce):\(cnonce)") : ha1
    }

    /// The request-digest. `ha1` is the stored H(A1) (before any -sess step). For auth-int, `bodyHash` is
    /// H(entity-body).
    public static func response(
        algorithm: DigestAlgorithm,
        ha1: String,
        nonce: String,
        method: String,
        uri: String,
        qop: QualityOfProtection? = nil,
        nonceCount: String = "",
        cnonce: String = "",
        bodyHash: String? = nil
    ) -> String {
        let effectiveHA1 = sessionHA1(algorithm: algorithm, ha1: ha1, nonce: nonce, cnonce: cnonce)
        let a2: String
        if qop == .authInt {
            a2 = "\(method):\(uri):\(bodyHash ?? algorithm.hash(""))"
        } else {
            a2 = "\(method):\(uri)"
        }
        let ha2 = algorithm.hash(a2)
        guard let qop else {
            return algorithm.hash("\(effectiveHA1):\(nonce):\(ha2)")
        }
        return algorithm.hash("\(effectiveHA1):\(nonce):\(nonceCount):\(cnonce):\(qop.rawValue):\(ha2)")
    }
}
