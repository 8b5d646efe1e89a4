import NIOCore
import STUN
import Testing

/// RFC 5769 sections 2.1-2.3. Section 2.4 (long-term credentials) is not here: its key is
/// MD5(username ":" realm ":" SASLprep(password)), which needs SASLprep and long-term credentials that ICE does
/// not use.
@Suite("RFC 5769 test vectors")
struct RFC5769Tests {
    static let key = Array(RFC5769Vectors.password.utf8)
    static let transactionID = STUNTransactionID(high: 0xb7e7_a701, middle: 0xbc34_d686, low: 0xfa87_dfae)

    /// One vector's XOR-MAPPED-ADDRESS: the address and where the attribute sits.
    struct MappedAddressCase: Sendable {
        var vector: [UInt8]
        var ip: String
        var attribute: Range<Int>
    }

    @Test func transactionIDFromBytes() {
        #expect(STUNTransactionID(bytes: RFC5769Vectors.transactionID) == Self.transactionID)
        #expect(Self.transactionID.bytes == RFC5769Vectors.transactionID)
        #expect(Self.transactionID.description == "b7e7a701bc34d686fa87dfae")
    }

    @Test func sampleRequest() throws {
        let bytes = RFC5769Vectors.request
        let message = try #require(STUNTestSupport.view(bytes))
        #expect(message.messageType == 0x0001)
        #expect(message.method == STUNMethod.binding)
        #expect(message.messageClass == .request)
        #expect(message.transactionID == Self.transactionID)
        #expect(message.size == 108)
        #expect(message.software == "STUN test client")
        #expect(message.priority == 0x6e00_01ff)
        #expect(message.iceControlled == 0x932f_f9b1_5126_3b36)
        #expect(message.iceControlling == nil)
        #expect(!message.useCandidate)
        #expect(message.username == "evtj:h6vY")
        #expect(message.usernameRange == 64..<73)
        #expect(message.xorMappedAddress == nil)
        #expect(message.errorCode == nil)
        #expect(message.unknownComprehensionRequired.isEmpty)
        #expect(message.hasMessageIntegrity)
        #expect(!message.hasMessageIntegritySHA256)
        #expect(message.hasFingerprint)
        bytes.withUnsafeBytes { raw in
            #expect(message.verifyMessageIntegrity(raw, key: Self.key))
            #expect(message.verifyFingerprint(raw))
            #expect(!message.verifyMessageIntegrity(raw, key: Array("VOkJxbRl1RmTxUk/WvJxBu".utf8)))
            #expect(!message.verifyMessageIntegrity(raw, key: []))
        }
    }

    @Test func sampleIPv4Response() throws {
        let bytes = RFC5769Vectors.ipv4Response
        let message = try #require(STUNTestSupport.view(bytes))
        #expect(message.messageType == 0x0101)
        #expect(message.method == STUNMethod.binding)
        #expect(message.messageClass == .successResponse)
        #expect(message.transactionID == Self.transactionID)
        #expect(message.software == "test vector")
        let expected = try SocketAddress(ipAddress: "192.0.2.1", port: 32853)
        #expect(message.xorMappedAddress == expected)
        #expect(message.xorMappedAddress?.port == 32853)
        #expect(message.xorMappedAddress?.ipAddress == "192.0.2.1")
        bytes.withUnsafeBytes { raw in
            #expect(message.verifyMessageIntegrity(raw, key: Self.key))
            #expect(message.verifyFingerprint(raw))
        }
    }

    @Test func sampleIPv6Response() throws {
        let bytes = RFC5769Vectors.ipv6Response
        let message = try #require(STUNTestSupport.view(bytes))
        #expect(message.messageClass == .successResponse)
        #expect(message.transactionID == Self.transactionID)
        #expect(message.software == "test vector")
        let expected = try SocketAddress(ipAddress: "2001:db8:1234:5678:11:2233:4455:6677", port: 32853)
        #expect(message.xorMappedAddress == expected)
        #expect(message.xorMappedAddress?.port == 32853)
        bytes.withUnsafeBytes { raw in
            #expect(message.verifyMessageIntegrity(raw, key: Self.key))
            #expect(message.verifyFingerprint(raw))
        }
    }

    /// The builder writes the vectors' XOR-MAPPED-ADDRESS attributes byte for byte.
    @Test(arguments: [
        MappedAddressCase(vector: RFC5769Vectors.ipv4Response, ip: "192.0.2.1", attribute: 36..<48),
        MappedAddressCase(
            vector: RFC5769Vectors.ipv6Response, ip: "2001:db8:1234:5678:11:2233:4455:6677", attribute: 36..<60),
    ])
    func builderWritesTheVectorsMappedAddress(_ testCase: MappedAddressCase) throws {
        var builder = STUNMessageBuilder(
            type: STUNClass.successResponse.messageType(method: STUNMethod.binding), transactionID: Self.transactionID)
        builder.appendSoftware("test vector")
        let wrote = builder.appendXORMappedAddress(try SocketAddress(ipAddress: testCase.ip, port: 32853))
        #expect(wrote)
        #expect(Array(builder.bytes[testCase.attribute]) == Array(testCase.vector[testCase.attribute]))
    }

    /// The vectors rebuilt: identical but for the padding, which RFC 5769 fills with spaces and the builder with
    /// zeros, and so for MESSAGE-INTEGRITY and FINGERPRINT (expected values computed independently, with
    /// Python's hmac and zlib.crc32, over the zero-padded bytes).
    @Test func builderReproducesTheSampleRequestWithZeroPadding() throws {
        var builder = STUNMessageBuilder(
            type: STUNClass.request.messageType(method: STUNMethod.binding),
            transactionID: Self.transactionID)
        builder.appendSoftware("STUN test client")
        builder.appendPriority(0x6e00_01ff)
        builder.appendICEControlled(0x932f_f9b1_5126_3b36)
        builder.append(username: "evtj:h6vY")
        builder.appendMessageIntegrity(key: Self.key)
        builder.appendFingerprint()

        var expected = RFC5769Vectors.request
        expected.replaceSubrange(73..<76, with: [0, 0, 0])
        expected.replaceSubrange(
            76..<108,
            with: [
                0x00, 0x08, 0x00, 0x14, 0x79, 0x07, 0xc2, 0xd2, 0xed, 0xbf, 0xea, 0x48, 0x0e, 0x4c, 0x76, 0xd8,
                0x29, 0x62, 0xd5, 0xc3, 0x74, 0x2a, 0xf9, 0xe3, 0x80, 0x28, 0x00, 0x04, 0xe3, 0x52, 0x92, 0x8d,
            ])
        #expect(builder.finish() == expected)
    }

    @Test func builderReproducesTheIPv4ResponseWithZeroPadding() throws {
        var builder = STUNMessageBuilder(
            type: STUNClass.successResponse.messageType(method: STUNMethod.binding),
            transactionID: Self.transactionID)
        builder.appendSoftware("test vector")
        builder.appendXORMappedAddress(try SocketAddress(ipAddress: "192.0.2.1", port: 32853))
        builder.appendMessageIntegrity(key: Self.key)
        builder.appendFingerprint()

        var expected = RFC5769Vectors.ipv4Response
        expected[35] = 0
        expected.replaceSubrange(
            48..<80,
            with: [
                0x00, 0x08, 0x00, 0x14, 0x5d, 0x6b, 0x58, 0xbe, 0xad, 0x94, 0xe0, 0x7e, 0xef, 0x0d, 0xfc, 0x12,
                0x82, 0xa2, 0xbd, 0x08, 0x43, 0x14, 0x10, 0x28, 0x80, 0x28, 0x00, 0x04, 0x25, 0x16, 0x7a, 0x15,
            ])
        #expect(builder.finish() == expected)
    }

    @Test func builderReproducesTheIPv6ResponseWithZeroPadding() throws {
        var builder = STUNMessageBuilder(
            type: STUNClass.successResponse.messageType(method: STUNMethod.binding),
            transactionID: Self.transactionID)
        builder.appendSoftware("test vector")
        let address = try SocketAddress(ipAddress: "2001:db8:1234:5678:11:2233:4455:6677", port: 32853)
        builder.appendXORMappedAddress(address)
        builder.appendMessageIntegrity(key: Self.key)
        builder.appendFingerprint()

        var expected = RFC5769Vectors.ipv6Response
        expected[35] = 0
        expected.replaceSubrange(
            60..<92,
            with: [
                0x00, 0x08, 0x00, 0x14, 0xbd, 0x03, 0x6d, 0x6a, 0x33, 0x17, 0x50, 0xdf, 0xe2, 0xed, 0xc5, 0x8e,
                0x64, 0x34, 0x55, 0xcf, 0xf5, 0xc8, 0xe2, 0x64, 0x80, 0x28, 0x00, 0x04, 0x4f, 0x26, 0x02, 0x93,
            ])
        #expect(builder.finish() == expected)
    }

    /// Changing any covered byte breaks MESSAGE-INTEGRITY (and FINGERPRINT); changing the FINGERPRINT value
    /// breaks only FINGERPRINT.
    @Test(arguments: [24, 30, 45, 55, 66, 80, 95])
    func tamperedByteFailsIntegrity(index: Int) throws {
        var bytes = RFC5769Vectors.request
        bytes[index] ^= 0x01
        let message = try #require(STUNTestSupport.view(bytes))
        bytes.withUnsafeBytes { raw in
            #expect(!message.verifyMessageIntegrity(raw, key: Self.key))
            #expect(!message.verifyFingerprint(raw))
        }
    }

    @Test func tamperedFingerprintLeavesIntegrityIntact() throws {
        var bytes = RFC5769Vectors.request
        bytes[107] ^= 0x80
        let message = try #require(STUNTestSupport.view(bytes))
        bytes.withUnsafeBytes { raw in
            #expect(message.verifyMessageIntegrity(raw, key: Self.key))
            #expect(!message.verifyFingerprint(raw))
        }
    }

    /// The checks refuse a buffer other than the one the view was made from.
    @Test func verificationNeedsTheSameBuffer() throws {
        let message = try #require(STUNTestSupport.view(RFC5769Vectors.request))
        let shorter = Array(RFC5769Vectors.request.prefix(100))
        shorter.withUnsafeBytes { raw in
            #expect(!message.verifyMessageIntegrity(raw, key: Self.key))
            #expect(!message.verifyFingerprint(raw))
        }
    }
}
