import Crypto
import Foundation
import SIPCore

/// Random secrets and their stored digests.
enum SecureToken {
    /// `byteCount` random bytes from the system's CSPRNG, as base64url without padding (RFC 4648 section 5).
    static func make(byteCount: Int = 32) -> String {
        var generator = SystemRandomNumberGenerator()
        return base64URL((0..<byteCount).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
    }

    /// SHA-256 of a token, lower-case hex: what the store keeps instead of the token.
    static func digest(_ token: String) -> String {
        LowercaseHex.encode(SHA256.hash(data: Array(token.utf8)))
    }

    static func base64URL(_ bytes: [UInt8]) -> String {
        var text = Data(bytes).base64EncodedString()
        text = text.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        while text.hasSuffix("=") { text.removeLast() }
        return text
    }
}
