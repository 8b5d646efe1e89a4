import NIOCore
import Testing

@testable import STUN

@Suite("STUN message builder")
struct STUNMessageBuilderTests {
    static let key = Array("pLyQ4wX2h8oZb1Vn0sKdE9+/".utf8)
    static let id = STUNTransactionID(high: 1, middle: 2, low: 3)

    static func lengthField(_ bytes: [UInt8]) -> Int {
        Int(bytes[2]) << 8 | Int(bytes[3])
    }

    /// The CRC-32 check value of ITU-T V.42 / ISO 3309.
    @Test func crc32CheckValue() {
        let check = Array("123456789".utf8).withUnsafeBytes { CRC32.checksum($0) }
        #expect(check == 0xCBF4_3926)
        let empty = [UInt8]().withUnsafeBytes { CRC32.checksum($0) }
        #expect(empty == 0)
    }

    @Test func lengthFieldIsRightAfterEveryAppend() throws {
        var builder = STUNMessageBuilder(
            method: STUNMethod.binding, messageClass: .request, transactionID: Self.id)
        #expect(builder.bytes.count == 20)
        #expect(Self.lengthField(builder.bytes) == 0)
        let address = try SocketAddress(ipAddress: "198.51.100.7", port: 4242)
        let steps: [(inout STUNMessageBuilder) -> Void] = [
            { $0.append(username: "abcde:fgh") },
            { $0.appendSoftware("parley") },
            { $0.appendPriority(0x7E7F_00FF) },
            { $0.appendUseCandidate() },
            { $0.appendICEControlling(1) },
            { $0.appendICEControlled(2) },
            { $0.appendXORMappedAddress(address) },
            { $0.appendErrorCode(420, reason: "Unknown Attribute") },
            { $0.appendUnknownAttributes([0x0003]) },
            { $0.appendAttribute(type: 0xC001, value: [1, 2, 3]) },
            { $0.appendMessageIntegrity(key: Self.key) },
            { $0.appendMessageIntegritySHA256(key: Self.key) },
            { $0.appendFingerprint() },
        ]
        for step in steps {
            step(&builder)
            #expect(builder.bytes.count % 4 == 0)
            #expect(Self.lengthField(builder.bytes) == builder.bytes.count - 20)
        }
        let bytes = builder.finish()
        let message = try #require(STUNTestSupport.view(bytes))
        bytes.withUnsafeBytes { raw in
            #expect(message.verifyMessageIntegrity(raw, key: Self.key))
            #expect(message.verifyMessageIntegritySHA256(raw, key: Self.key))
            #expect(message.verifyFingerprint(raw))
        }
    }

    /// What a full agent sends as a connectivity check (RFC 8445 section 7.2.2) parses back whole.
    @Test func connectivityCheckRoundTrips() throws {
        var generator = SplitMix64()
        let transactionID = STUNTransactionID.random(using: &generator)
        var builder = STUNMessageBuilder(
            method: STUNMethod.binding, messageClass: .request, transactionID: transactionID)
        builder.append(username: "LITE:FULL")
        builder.appendSoftware("full agent")
        builder.appendPriority(0x6E7F_1EFF)
        builder.appendICEControlling(0x0123_4567_89AB_CDEF)
        builder.appendUseCandidate()
        builder.appendMessageIntegrity(key: Self.key)
        builder.appendFingerprint()
        let bytes = builder.finish()

        let message = try #require(STUNTestSupport.view(bytes))
        #expect(message.messageType == 0x0001)
        #expect(message.messageClass == .request)
        #expect(message.transactionID == transactionID)
        #expect(message.username == "LITE:FULL")
        #expect(message.software == "full agent")
        #expect(message.priority == 0x6E7F_1EFF)
        #expect(message.iceControlling == 0x0123_4567_89AB_CDEF)
        #expect(message.iceControlled == nil)
        #expect(message.useCandidate)
        let range = try #require(message.usernameRange)
        #expect(Array(bytes[range]) == Array("LITE:FULL".utf8))
        bytes.withUnsafeBytes { raw in
            #expect(message.verifyMessageIntegrity(raw, key: Self.key))
            #expect(!message.verifyMessageIntegrity(raw, key: Array("wrong".utf8)))
            #expect(message.verifyFingerprint(raw))
        }
    }

    @Test func errorResponseRoundTrips() throws {
        var builder = STUNMessageBuilder(
            method: STUNMethod.binding, messageClass: .errorResponse, transactionID: Self.id)
        builder.appendErrorCode(STUNErrorCode.roleConflict, reason: "Role Conflict")
        builder.appendFingerprint()
        let message = try #require(STUNTestSupport.view(builder.finish()))
        #expect(message.messageType == 0x0111)
        #expect(message.messageClass == .errorResponse)
        #expect(message.errorCode == 487)
        #expect(message.errorReason == "Role Conflict")
    }

    @Test(arguments: [0, 99, 700, 1000, -401])
    func errorCodeOutsideTheRangeIsWrittenAs500(code: Int) throws {
        var builder = STUNMessageBuilder(
            method: STUNMethod.binding, messageClass: .errorResponse, transactionID: Self.id)
        builder.appendErrorCode(code, reason: "")
        let message = try #require(STUNTestSupport.view(builder.finish()))
        #expect(message.errorCode == 500)
        #expect(message.errorReason == "")
    }

    @Test(arguments: [
        ("192.0.2.1", 0), ("192.0.2.1", 1), ("255.255.255.255", 65535), ("0.0.0.0", 5060),
        ("::1", 443), ("fe80::1", 9), ("2001:db8::ffff:1", 65535), ("::ffff:192.0.2.128", 3478),
    ])
    func mappedAddressRoundTrips(ip: String, port: Int) throws {
        let address = try SocketAddress(ipAddress: ip, port: port)
        var builder = STUNMessageBuilder(
            method: STUNMethod.binding, messageClass: .successResponse,
            transactionID: STUNTransactionID(high: 0xDEAD_BEEF, middle: 0x0BAD_F00D, low: 0xCAFE_BABE))
        let wrote = builder.appendXORMappedAddress(address)
        #expect(wrote)
        let message = try #require(STUNTestSupport.view(builder.finish()))
        #expect(message.xorMappedAddress == address)
        #expect(message.xorMappedAddress?.port == port)
    }

    @Test func unixDomainAddressIsNotWritten() throws {
        let address = try SocketAddress(unixDomainSocketPath: "/tmp/parley-stun-test.sock")
        var builder = STUNMessageBuilder(
            method: STUNMethod.binding, messageClass: .successResponse, transactionID: Self.id)
        let wrote = builder.appendXORMappedAddress(address)
        #expect(!wrote)
        #expect(builder.bytes.count == 20)
    }

    /// Text is cut to 508 bytes without splitting a character.
    @Test func longTextIsCutAtACharacterBoundary() throws {
        var builder = STUNMessageBuilder(
            method: STUNMethod.binding, messageClass: .request, transactionID: Self.id)
        builder.append(username: String(repeating: "\u{E9}", count: 300))
        builder.appendSoftware(String(repeating: "s", count: 600))
        let message = try #require(STUNTestSupport.view(builder.finish()))
        #expect(message.username == String(repeating: "\u{E9}", count: 254))
        #expect(message.username?.utf8.count == 508)
        #expect(message.software?.utf8.count == 508)
    }

    @Test func transactionIDs() {
        var first = SplitMix64(seed: 1)
        var second = SplitMix64(seed: 1)
        let one = STUNTransactionID.random(using: &first)
        let same = STUNTransactionID.random(using: &second)
        let next = STUNTransactionID.random(using: &first)
        #expect(one == same)
        #expect(one != next)
        #expect(STUNTransactionID(bytes: one.bytes) == one)
        #expect(STUNTransactionID(bytes: [UInt8](repeating: 1, count: 11)) == nil)
        #expect(STUNTransactionID(bytes: [UInt8](repeating: 1, count: 13)) == nil)
        let counting = STUNTransactionID(bytes: Array(UInt8(1)...12))
        #expect(counting == STUNTransactionID(high: 0x0102_0304, middle: 0x0506_0708, low: 0x090A_0B0C))
    }
}
