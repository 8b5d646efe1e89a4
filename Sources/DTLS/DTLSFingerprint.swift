/// The hash of a DTLS certificate, as carried in SDP `a=fingerprint` (RFC 8122 section 5):
/// ```
/// fingerprint-attribute = "fingerprint" ":" hash-func SP fingerprint
/// fingerprint           = 2UHEX *(":" 2UHEX)
/// ```
/// The self-signed certificates of WebRTC are authenticated only by this value (RFC 5763 section 5, RFC 8827
/// section 6.5): after the handshake the peer certificate's hash must equal it.
public struct DTLSFingerprint: Sendable, Hashable {
    /// The hash function's name in lower case, e.g. `sha-256` (RFC 8122 section 5, case-insensitive).
    public var algorithm: String
    /// The digest of the DER certificate.
    public var bytes: [UInt8]

    public init(algorithm: String, bytes: [UInt8]) {
        self.algorithm = Self.lowercased(algorithm)
        self.bytes = bytes
    }

    /// Parses `AB:CD:...` (hex digits in either case; RFC 8122 asks for upper case, browsers send it, and lower
    /// case is accepted). Nil for an empty value, a pair that is not two hex digits, or a length that does not
    /// match a known hash function.
    public init?(sdpValue: String, algorithm: String) {
        var bytes: [UInt8] = []
        var high: UInt8?
        var digitsInPair = 0
        let text = Self.trimmed(Array(sdpValue.utf8))
        guard !text.isEmpty else { return nil }
        for character in text {
            if character == 0x3A {
                guard digitsInPair == 2 else { return nil }
                digitsInPair = 0
                continue
            }
            guard digitsInPair < 2, let nibble = Self.nibble(character) else { return nil }
            digitsInPair += 1
            if let first = high {
                bytes.append(first << 4 | nibble)
                high = nil
            } else {
                high = nibble
            }
        }
        guard digitsInPair == 2 else { return nil }
        self.init(algorithm: algorithm, bytes: bytes)
        if let expected = Self.digestLength(of: self.algorithm), expected != bytes.count { return nil }
    }

    /// `AB:CD:...`: upper-case hex pairs joined by colons (RFC 8122 section 5 `UHEX`).
    public var sdpValue: String {
        let digits = Array("0123456789ABCDEF".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(bytes.count * 3)
        for (index, byte) in bytes.enumerated() {
            if index > 0 { text.append(0x3A) }
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// Digest sizes of the hash functions in the RFC 8122 registry; nil for others.
    public static func digestLength(of algorithm: String) -> Int? {
        switch lowercased(algorithm) {
        case "md2", "md5": 16
        case "sha-1": 20
        case "sha-224": 28
        case "sha-256": 32
        case "sha-384": 48
        case "sha-512": 64
        default: nil
        }
    }

    private static func nibble(_ character: UInt8) -> UInt8? {
        switch character {
        case 0x30...0x39: character &- 0x30
        case 0x41...0x46: character &- 0x41 &+ 10
        case 0x61...0x66: character &- 0x61 &+ 10
        default: nil
        }
    }

    private static func trimmed(_ bytes: [UInt8]) -> ArraySlice<UInt8> {
        let isSpace: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 }
        guard let first = bytes.firstIndex(where: { !isSpace($0) }),
            let last = bytes.lastIndex(where: { !isSpace($0) })
        else { return [] }
        return bytes[first...last]
    }

    private static func lowercased(_ value: String) -> String {
        String(decoding: value.utf8.map { (0x41...0x5A).contains($0) ? $0 | 0x20 : $0 }, as: UTF8.self)
    }
}
