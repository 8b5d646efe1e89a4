import DTLS
import Testing

@Suite("DTLS fingerprint")
struct DTLSFingerprintTests {
    /// RFC 4572 section 5's example: `a=fingerprint:SHA-1 4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B:19:E5:7C:AB`.
    @Test func rfc4572Example() throws {
        let value = "4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B:19:E5:7C:AB"
        let fingerprint = try #require(DTLSFingerprint(sdpValue: value, algorithm: "SHA-1"))
        #expect(fingerprint.algorithm == "sha-1")
        #expect(fingerprint.bytes.count == 20)
        #expect(fingerprint.bytes.first == 0x4A)
        #expect(fingerprint.bytes.last == 0xAB)
        #expect(fingerprint.sdpValue == value)
    }

    @Test func sha256Format() throws {
        let bytes = (0..<32).map { UInt8($0 * 8 + 3) }
        let fingerprint = DTLSFingerprint(algorithm: "sha-256", bytes: bytes)
        let value = fingerprint.sdpValue
        // 32 pairs and 31 colons.
        #expect(value.utf8.count == 95)
        #expect(value.hasPrefix("03:0B:13:1B:23:"))
        #expect(value.hasSuffix(":F3:FB"))
        #expect(!value.contains { $0.isLowercase })
        #expect(DTLSFingerprint(sdpValue: value, algorithm: "sha-256") == fingerprint)
        // Lower case is read too and compares equal.
        let lower = value.lowercased()
        #expect(DTLSFingerprint(sdpValue: lower, algorithm: "SHA-256") == fingerprint)
    }

    @Test(arguments: [
        "", ":", "AB:", ":AB", "AB::CD", "A:BC", "ABC:DE", "AB:CD:G0", "AB-CD", "AB CD", "+F:00",
    ])
    func rejectsMalformed(value: String) {
        #expect(DTLSFingerprint(sdpValue: value, algorithm: "unknown-hash") == nil)
    }

    @Test func rejectsWrongLengthForKnownHash() {
        let thirtyOne = Array(repeating: "AB", count: 31).joined(separator: ":")
        let thirtyTwo = Array(repeating: "AB", count: 32).joined(separator: ":")
        #expect(DTLSFingerprint(sdpValue: thirtyOne, algorithm: "sha-256") == nil)
        #expect(DTLSFingerprint(sdpValue: thirtyTwo, algorithm: "sha-256")?.bytes.count == 32)
        #expect(DTLSFingerprint(sdpValue: thirtyTwo, algorithm: "sha-1") == nil)
        // An unregistered hash function has no known length.
        #expect(DTLSFingerprint(sdpValue: "AB:CD", algorithm: "x-hash")?.bytes == [0xAB, 0xCD])
    }
}
