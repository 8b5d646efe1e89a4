/// `a=fingerprint`: the hash of the DTLS certificate. RFC 8122 section 5:
/// ```
/// fingerprint-attribute = "fingerprint" ":" hash-func SP fingerprint
/// hash-func   = "sha-1" / "sha-224" / "sha-256" / "sha-384" / "sha-512" / "md5" / "md2" / token
/// fingerprint = 2UHEX *(":" 2UHEX)
/// ```
/// Lowercase hex breaks `UHEX` but is accepted; it is written back in uppercase.
public struct Fingerprint: SDPAttributeConvertible {
    public static let attributeName = "fingerprint"

    /// Lowercase, e.g. `sha-256` (hash names are case-insensitive, RFC 8122 section 5).
    public var hashFunction: String
    public var bytes: [UInt8]

    public init(hashFunction: String, bytes: [UInt8]) {
        self.hashFunction = SDPText.lowercased(hashFunction)
        self.bytes = bytes
    }

    public init(attributeValue: String) throws(SDPParseError) {
        let fields = SDPText.fields(attributeValue)
        guard fields.count == 2, SDPText.isToken(fields[0]) else {
            throw .attribute("fingerprint", "expected <hash function> <hex bytes>")
        }
        var bytes: [UInt8] = []
        for pair in fields[1].split(separator: ":", omittingEmptySubsequences: false) {
            // Both characters must be hex digits: UInt8(_:radix:) alone would take "+F".
            guard pair.utf8.count == 2, pair.utf8.allSatisfy(\.isHexDigit), let byte = UInt8(pair, radix: 16) else {
                throw .attribute("fingerprint", "fingerprint is not colon-separated hex byte pairs")
            }
            bytes.append(byte)
        }
        self.init(hashFunction: String(fields[0]), bytes: bytes)
        if let expected = Self.digestLength(of: hashFunction), expected != bytes.count {
            throw .attribute("fingerprint", "\(hashFunction) fingerprint has \(bytes.count) bytes, not \(expected)")
        }
    }

    public var attributeValue: String { "\(hashFunction) \(hex)" }

    /// `AB:CD:...` in uppercase.
    public var hex: String {
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
    public static func digestLength(of hashFunction: String) -> Int? {
        switch SDPText.lowercased(hashFunction) {
        case "md2", "md5": 16
        case "sha-1": 20
        case "sha-224": 28
        case "sha-256": 32
        case "sha-384": 48
        case "sha-512": 64
        default: nil
        }
    }
}

extension UInt8 {
    fileprivate var isHexDigit: Bool {
        (0x30...0x39).contains(self) || (0x41...0x46).contains(self) || (0x61...0x66).contains(self)
    }
}
