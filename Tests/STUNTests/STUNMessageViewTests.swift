import NIOCore
import STUN
import Testing

/// A Binding request with what `edit` appends.
private func built(_ edit: (inout STUNMessageBuilder) -> Void) -> [UInt8] {
    let transactionID = STUNTransactionID(high: 1, middle: 2, low: 3)
    var builder = STUNMessageBuilder(method: STUNMethod.binding, messageClass: .request, transactionID: transactionID)
    edit(&builder)
    return builder.finish()
}

private func replacing(_ bytes: [UInt8], at index: Int, with value: UInt8) -> [UInt8] {
    var bytes = bytes
    bytes[index] = value
    return bytes
}

@Suite("STUN message validation")
struct STUNMessageViewTests {
    struct MalformedCase: Sendable, CustomTestStringConvertible {
        var name: String
        var bytes: [UInt8]
        var testDescription: String { name }
    }

    static let malformed: [MalformedCase] = {
        let request = RFC5769Vectors.request
        return [
            MalformedCase(name: "empty", bytes: []),
            MalformedCase(name: "shorter than the header", bytes: Array(request.prefix(19))),
            MalformedCase(name: "truncated (length says 88, 80 present)", bytes: Array(request.prefix(100))),
            MalformedCase(name: "trailing bytes beyond the length", bytes: request + [0, 0, 0, 0]),
            MalformedCase(name: "first bit set", bytes: replacing(request, at: 0, with: 0x80)),
            MalformedCase(name: "second bit set", bytes: replacing(request, at: 0, with: 0x40)),
            MalformedCase(name: "bad magic cookie", bytes: replacing(request, at: 4, with: 0x20)),
            MalformedCase(name: "bad length field", bytes: replacing(request, at: 3, with: 0x54)),
            MalformedCase(
                name: "length not a multiple of 4",
                bytes: STUNTestSupport.message(body: [0x80, 0x22, 0x00, 0x02, 0x41, 0x42])),
            MalformedCase(
                name: "attribute value overflows the message",
                bytes: STUNTestSupport.message(body: [0x80, 0x22, 0x00, 0x10, 0x41, 0x42, 0x43, 0x44])),
            MalformedCase(
                name: "last attribute's padding missing",
                bytes: STUNTestSupport.message(body: [0x80, 0x22, 0x00, 0x05, 0x41, 0x42, 0x43, 0x44])),
            MalformedCase(
                name: "attribute after FINGERPRINT",
                bytes: built {
                    $0.appendFingerprint()
                    $0.appendSoftware("late")
                }),
            MalformedCase(
                name: "two FINGERPRINTs",
                bytes: built {
                    $0.appendFingerprint()
                    $0.appendFingerprint()
                }),
            MalformedCase(
                name: "PRIORITY of 2 bytes",
                bytes: built { $0.appendAttribute(type: STUNAttributeType.priority, value: [1, 2]) }),
            MalformedCase(
                name: "USE-CANDIDATE with a value",
                bytes: built { $0.appendAttribute(type: STUNAttributeType.useCandidate, value: [1, 2, 3, 4]) }),
            MalformedCase(
                name: "ICE-CONTROLLING of 4 bytes",
                bytes: built { $0.appendAttribute(type: STUNAttributeType.iceControlling, value: [1, 2, 3, 4]) }),
            MalformedCase(
                name: "ICE-CONTROLLED of 12 bytes",
                bytes: built {
                    $0.appendAttribute(type: STUNAttributeType.iceControlled, value: [UInt8](repeating: 7, count: 12))
                }),
            MalformedCase(
                name: "MESSAGE-INTEGRITY of 16 bytes",
                bytes: built {
                    $0.appendAttribute(
                        type: STUNAttributeType.messageIntegrity, value: [UInt8](repeating: 0, count: 16))
                }),
            MalformedCase(
                name: "MESSAGE-INTEGRITY-SHA256 of 12 bytes",
                bytes: built {
                    $0.appendAttribute(
                        type: STUNAttributeType.messageIntegritySHA256, value: [UInt8](repeating: 0, count: 12))
                }),
            MalformedCase(
                name: "FINGERPRINT of 8 bytes",
                bytes: built {
                    $0.appendAttribute(type: STUNAttributeType.fingerprint, value: [UInt8](repeating: 0, count: 8))
                }),
            MalformedCase(
                name: "XOR-MAPPED-ADDRESS family 3",
                bytes: built {
                    $0.appendAttribute(type: STUNAttributeType.xorMappedAddress, value: [0, 3, 0, 1, 1, 2, 3, 4])
                }),
            MalformedCase(
                name: "XOR-MAPPED-ADDRESS IPv4 with 16 address bytes",
                bytes: built {
                    $0.appendAttribute(
                        type: STUNAttributeType.xorMappedAddress,
                        value: [0, 1, 0, 1] + [UInt8](repeating: 9, count: 16))
                }),
            MalformedCase(
                name: "ERROR-CODE class 7",
                bytes: built { $0.appendAttribute(type: STUNAttributeType.errorCode, value: [0, 0, 7, 0]) }),
            MalformedCase(
                name: "ERROR-CODE number 100",
                bytes: built { $0.appendAttribute(type: STUNAttributeType.errorCode, value: [0, 0, 4, 100]) }),
            MalformedCase(
                name: "ERROR-CODE of 2 bytes",
                bytes: built { $0.appendAttribute(type: STUNAttributeType.errorCode, value: [4, 0]) }),
        ]
    }()

    @Test(arguments: malformed)
    func rejectsMalformedMessages(_ testCase: MalformedCase) {
        #expect(STUNTestSupport.view(testCase.bytes) == nil)
    }

    @Test func headerOnlyMessageIsValid() throws {
        let message = try #require(STUNTestSupport.view(STUNTestSupport.message(type: 0x0011, body: [])))
        #expect(message.messageClass == .indication)
        #expect(message.method == STUNMethod.binding)
        #expect(message.size == 20)
        #expect(!message.hasMessageIntegrity)
        #expect(!message.hasFingerprint)
        #expect(message.username == nil)
        #expect(message.priority == nil)
    }

    @Test func plausibilityIsACheapFirstLook() {
        RFC5769Vectors.request.withUnsafeBytes { raw in #expect(STUNHeader.isPlausible(raw)) }
        replacing(RFC5769Vectors.request, at: 0, with: 0x80).withUnsafeBytes { raw in
            #expect(!STUNHeader.isPlausible(raw))
        }
        replacing(RFC5769Vectors.request, at: 7, with: 0x43).withUnsafeBytes { raw in
            #expect(!STUNHeader.isPlausible(raw))
        }
        [UInt8](repeating: 0, count: 19).withUnsafeBytes { raw in #expect(!STUNHeader.isPlausible(raw)) }
    }

    /// RFC 8489 section 5.
    @Test func messageTypeInterleavesClassAndMethod() {
        #expect(STUNClass.request.messageType(method: STUNMethod.binding) == 0x0001)
        #expect(STUNClass.indication.messageType(method: STUNMethod.binding) == 0x0011)
        #expect(STUNClass.successResponse.messageType(method: STUNMethod.binding) == 0x0101)
        #expect(STUNClass.errorResponse.messageType(method: STUNMethod.binding) == 0x0111)
        #expect(STUNClass.request.messageType(method: 0xFFF) == 0x3EEF)
        #expect(STUNClass.errorResponse.messageType(method: 0x000) == 0x0110)
        for messageClass in STUNClass.allCases {
            for method: UInt16 in [0x000, 0x001, 0x003, 0x00A, 0x0A5, 0x800, 0xFFF] {
                let type = messageClass.messageType(method: method)
                #expect(STUNClass(messageType: type) == messageClass)
                #expect(STUNClass.method(ofMessageType: type) == method)
            }
        }
    }

    /// RFC 8489 section 14: only the first occurrence counts.
    @Test func firstOccurrenceWins() throws {
        let bytes = built {
            $0.appendPriority(1)
            $0.appendPriority(2)
            $0.append(username: "first:one")
            $0.append(username: "second:one")
            $0.appendICEControlling(10)
            $0.appendICEControlling(20)
        }
        let message = try #require(STUNTestSupport.view(bytes))
        #expect(message.priority == 1)
        #expect(message.username == "first:one")
        #expect(message.iceControlling == 10)
    }

    /// RFC 8489 section 14.5: attributes after MESSAGE-INTEGRITY other than FINGERPRINT are ignored, and
    /// MESSAGE-INTEGRITY still verifies although the length field has grown since.
    @Test func attributesAfterIntegrityAreIgnored() throws {
        let key = Array("a-password-of-22-chars".utf8)
        let bytes = built {
            $0.append(username: "ab:cd")
            $0.appendMessageIntegrity(key: key)
            $0.appendPriority(99)
            $0.appendUseCandidate()
            $0.append(username: "ef:gh")
            $0.appendAttribute(type: 0x7F00, value: [1, 2, 3, 4])
            $0.appendFingerprint()
        }
        let message = try #require(STUNTestSupport.view(bytes))
        #expect(message.priority == nil)
        #expect(!message.useCandidate)
        #expect(message.username == "ab:cd")
        #expect(message.unknownComprehensionRequired.isEmpty)
        bytes.withUnsafeBytes { raw in
            #expect(message.verifyMessageIntegrity(raw, key: key))
            #expect(message.verifyFingerprint(raw))
        }
    }

    /// RFC 8489 section 14: unknown types in 0x0000-0x7FFF are listed, unknown optional ones are not.
    @Test func unknownComprehensionRequiredAttributesAreListed() throws {
        let bytes = built {
            $0.appendAttribute(type: 0xC057, value: [0, 1, 0, 0])
            $0.appendAttribute(type: 0x7FFF, value: [1])
            $0.appendAttribute(type: 0x0003, value: [0, 0, 0, 0])
            $0.appendPriority(5)
        }
        let message = try #require(STUNTestSupport.view(bytes))
        #expect(message.unknownComprehensionRequired == [0x7FFF, 0x0003])
        #expect(message.priority == 5)
    }

    @Test func integritySHA256RoundTrips() throws {
        let key = Array("another-password-here!".utf8)
        let bytes = built {
            $0.append(username: "ab:cd")
            $0.appendMessageIntegritySHA256(key: key)
            $0.appendFingerprint()
        }
        let message = try #require(STUNTestSupport.view(bytes))
        #expect(message.hasMessageIntegritySHA256)
        #expect(!message.hasMessageIntegrity)
        bytes.withUnsafeBytes { raw in
            #expect(message.verifyMessageIntegritySHA256(raw, key: key))
            #expect(!message.verifyMessageIntegritySHA256(raw, key: Array("another-password-herE!".utf8)))
            #expect(!message.verifyMessageIntegrity(raw, key: key))
            #expect(message.verifyFingerprint(raw))
        }
    }

    /// RFC 8489 section 14.5: MESSAGE-INTEGRITY-SHA256 may follow MESSAGE-INTEGRITY; both verify.
    @Test func bothIntegrityAttributesVerify() throws {
        let key = Array("another-password-here!".utf8)
        let bytes = built {
            $0.append(username: "ab:cd")
            $0.appendMessageIntegrity(key: key)
            $0.appendMessageIntegritySHA256(key: key)
            $0.appendFingerprint()
        }
        let message = try #require(STUNTestSupport.view(bytes))
        bytes.withUnsafeBytes { raw in
            #expect(message.verifyMessageIntegrity(raw, key: key))
            #expect(message.verifyMessageIntegritySHA256(raw, key: key))
            #expect(message.verifyFingerprint(raw))
        }
    }

    @Test func missingIntegrityAndFingerprintDoNotVerify() throws {
        let bytes = built { $0.append(username: "ab:cd") }
        let message = try #require(STUNTestSupport.view(bytes))
        bytes.withUnsafeBytes { raw in
            #expect(!message.verifyMessageIntegrity(raw, key: []))
            #expect(!message.verifyMessageIntegritySHA256(raw, key: []))
            #expect(!message.verifyFingerprint(raw))
        }
    }
}
