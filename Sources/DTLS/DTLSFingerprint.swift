import SDP

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
        // SDP's Fingerprint normalises the name as the SDP parser does.
        self.algorithm = Fingerprint(hashFunction: algorithm, bytes: bytes).hashFunction
        self.bytes = bytes
    }

    /// The value of an SDP `a=fingerprint`.
    public init(_ fingerprint: Fingerprint) {
        self.init(algorithm: fingerprint.hashFunction, bytes: fingerprint.bytes)
    }

    /// Parses `AB:CD:...` with SDP's fingerprint parser (hex digits in either case). Nil for an empty
    /// value, a pair that is not two hex digits, or a length that does not match a known hash function.
    public init?(sdpValue: String, algorithm: String) {
        guard let parsed = try? Fingerprint(attributeValue: "\(algorithm) \(sdpValue)") else { return nil }
        self.init(parsed)
    }

    /// `AB:CD:...`: upper-case hex pairs joined by colons (RFC 8122 section 5 `UHEX`).
    public var sdpValue: String { Fingerprint(hashFunction: algorithm, bytes: bytes).hex }

    /// Digest sizes of the hash functions in the RFC 8122 registry; nil for others.
    public static func digestLength(of algorithm: String) -> Int? {
        Fingerprint.digestLength(of: algorithm)
    }
}
