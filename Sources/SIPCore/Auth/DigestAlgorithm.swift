import Crypto

/// The digest algorithms of RFC 7616 section 3.4.1 that SIP uses (RFC 8760 adds SHA-256 to SIP).
/// SHA-512-256 is not offered: browsers' SIP stacks and the softphones tested do not implement it.
public enum DigestAlgorithm: String, Hashable, Sendable, CaseIterable {
    case md5 = "MD5"
    case md5Session = "MD5-sess"
    case sha256 = "SHA-256"
    case sha256Session = "SHA-256-sess"

    /// Matches the algorithm token case-insensitively; an absent algorithm means MD5 (RFC 7616 section 3.3).
    public init?(token: String?) {
        guard let token else {
            self = .md5
            return
        }
        guard let match = Self.allCases.first(where: { $0.rawValue.lowercased() == token.lowercased() }) else {
            return nil
        }
        self = match
    }

    public var isSession: Bool { self == .md5Session || self == .sha256Session }

    /// H(data) as lower-case hex.
    public func hash(_ text: String) -> String {
        var copy = text
        return copy.withUTF8 { hash(UnsafeRawBufferPointer($0)) }
    }

    public func hash(_ bytes: UnsafeRawBufferPointer) -> String {
        switch self {
        case .md5, .md5Session:
            var hasher = Insecure.MD5()
            hasher.update(bufferPointer: bytes)
            return LowercaseHex.encode(hasher.finalize())
        case .sha256, .sha256Session:
            var hasher = SHA256()
            hasher.update(bufferPointer: bytes)
            return LowercaseHex.encode(hasher.finalize())
        }
    }
}
