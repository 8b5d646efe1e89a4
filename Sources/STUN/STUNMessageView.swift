import NIOCore

/// A STUN message validated in place (RFC 8489 sections 5 and 14). Construction walks the attributes once and
/// keeps the small values ICE needs and the offsets of MESSAGE-INTEGRITY, MESSAGE-INTEGRITY-SHA256 and
/// FINGERPRINT; it keeps no pointer, so the integrity checks take the same bytes again.
///
/// Attribute rules applied:
/// - Section 14: only the first occurrence of an attribute counts.
/// - Sections 14.5 and 14.6: after MESSAGE-INTEGRITY only MESSAGE-INTEGRITY-SHA256 and FINGERPRINT are read,
///   after MESSAGE-INTEGRITY-SHA256 only FINGERPRINT; anything else there is ignored.
/// - Section 14.7: FINGERPRINT is the last attribute; a message with anything after it is rejected.
/// - A known attribute with a value of the wrong size makes the message malformed (nil).
public struct STUNMessageView: Sendable {
    /// The 14-bit message type (method and class interleaved).
    public let messageType: UInt16
    public let transactionID: STUNTransactionID
    /// Header plus attributes, in bytes: the size of the buffer this view was made from.
    public let size: Int

    /// USERNAME, decoded as UTF-8 (invalid sequences repaired, so compare with `usernameRange` bytes when
    /// exactness matters).
    public private(set) var username: String?
    /// Where the USERNAME value lies in the message bytes.
    public private(set) var usernameRange: Range<Int>?
    /// SOFTWARE (RFC 8489 section 14.10).
    public private(set) var software: String?
    /// PRIORITY (RFC 8445 section 7.1.1).
    public private(set) var priority: UInt32?
    /// USE-CANDIDATE present (RFC 8445 section 7.1.2).
    public private(set) var useCandidate = false
    /// ICE-CONTROLLING tie-breaker (RFC 8445 section 7.1.3).
    public private(set) var iceControlling: UInt64?
    /// ICE-CONTROLLED tie-breaker (RFC 8445 section 7.1.3).
    public private(set) var iceControlled: UInt64?
    /// XOR-MAPPED-ADDRESS, un-XOR-ed (RFC 8489 section 14.2).
    public private(set) var xorMappedAddress: SocketAddress?
    /// ERROR-CODE as class * 100 + number, 300-699 (RFC 8489 section 14.8).
    public private(set) var errorCode: Int?
    /// The ERROR-CODE reason phrase.
    public private(set) var errorReason: String?
    /// Comprehension-required attribute types this view does not understand, in message order (RFC 8489
    /// section 6.3.1: a request carrying any is answered 420 with UNKNOWN-ATTRIBUTES).
    public private(set) var unknownComprehensionRequired: [UInt16] = []

    /// Offsets of the attribute headers.
    private(set) var messageIntegrityOffset: Int?
    private(set) var messageIntegritySHA256Offset: Int?
    private(set) var fingerprintOffset: Int?

    /// Which message-integrity attribute has been seen, for the "ignore what follows" rules.
    private enum IntegrityState {
        case absent
        case sha1
        case sha256
    }

    /// Validates `bytes` as one whole STUN message; nil if it is not one.
    public init?(_ bytes: UnsafeRawBufferPointer) {
        // Section 5: a 20-byte header whose two most significant bits are zero.
        guard bytes.count >= STUNHeader.size, bytes[0] & 0xC0 == 0 else { return nil }
        // Section 5: the length counts the bytes after the header and is a multiple of 4, as attributes are
        // padded to 4 bytes (section 14).
        let length = Int(Self.uint16(bytes, at: 2))
        guard length & 3 == 0, length == bytes.count - STUNHeader.size else { return nil }
        guard Self.uint32(bytes, at: 4) == STUNHeader.magicCookie else { return nil }
        messageType = Self.uint16(bytes, at: 0)
        transactionID = STUNTransactionID(reading: bytes, at: 8)
        size = bytes.count

        // Section 14: type (16 bits), length of the value before padding (16 bits), value padded to 4 bytes.
        var offset = STUNHeader.size
        var integrity = IntegrityState.absent
        while offset < bytes.count {
            // Section 14.7: nothing may follow FINGERPRINT.
            guard fingerprintOffset == nil, bytes.count - offset >= 4 else { return nil }
            let type = Self.uint16(bytes, at: offset)
            let valueLength = Int(Self.uint16(bytes, at: offset + 2))
            let value = offset + 4
            let paddedLength = (valueLength + 3) & ~3
            guard paddedLength <= bytes.count - value else { return nil }
            guard read(type: type, value: value, length: valueLength, in: bytes, integrity: &integrity) else {
                return nil
            }
            offset = value + paddedLength
        }
    }

    /// The 12-bit method (Binding is `STUNMethod.binding`).
    public var method: UInt16 { STUNClass.method(ofMessageType: messageType) }

    public var messageClass: STUNClass { STUNClass(messageType: messageType) }

    public var hasMessageIntegrity: Bool { messageIntegrityOffset != nil }

    public var hasMessageIntegritySHA256: Bool { messageIntegritySHA256Offset != nil }

    public var hasFingerprint: Bool { fingerprintOffset != nil }

    /// Records one attribute; false if its value is malformed.
    private mutating func read(
        type: UInt16, value: Int, length: Int, in bytes: UnsafeRawBufferPointer, integrity: inout IntegrityState
    ) -> Bool {
        switch type {
        case STUNAttributeType.fingerprint:
            // Section 14.7: a 32-bit CRC.
            guard length == 4 else { return false }
            fingerprintOffset = value - 4
            return true
        case STUNAttributeType.messageIntegritySHA256 where integrity != .sha256:
            // Section 14.6: 16 to 32 bytes (a truncated HMAC-SHA256), a multiple of 4.
            guard length >= 16, length <= 32, length & 3 == 0 else { return false }
            messageIntegritySHA256Offset = value - 4
            integrity = .sha256
            return true
        default:
            break
        }
        // Sections 14.5 and 14.6: anything else after a message-integrity attribute is ignored.
        guard integrity == .absent else { return true }

        switch type {
        case STUNAttributeType.messageIntegrity:
            // Section 14.5: an HMAC-SHA1, 20 bytes.
            guard length == 20 else { return false }
            messageIntegrityOffset = value - 4
            integrity = .sha1
        case STUNAttributeType.username:
            // Section 14.3: fewer than 509 bytes (RFC 5389 allowed up to 512; accepted).
            guard length <= 512 else { return false }
            if usernameRange == nil {
                usernameRange = value..<(value + length)
                username = Self.text(bytes, at: value, length: length)
            }
        case STUNAttributeType.software:
            if software == nil { software = Self.text(bytes, at: value, length: length) }
        case STUNAttributeType.priority:
            guard length == 4 else { return false }
            if priority == nil { priority = Self.uint32(bytes, at: value) }
        case STUNAttributeType.useCandidate:
            // RFC 8445 section 16.1: no value.
            guard length == 0 else { return false }
            useCandidate = true
        case STUNAttributeType.iceControlling:
            guard length == 8 else { return false }
            if iceControlling == nil { iceControlling = Self.uint64(bytes, at: value) }
        case STUNAttributeType.iceControlled:
            guard length == 8 else { return false }
            if iceControlled == nil { iceControlled = Self.uint64(bytes, at: value) }
        case STUNAttributeType.xorMappedAddress:
            guard let address = XORMappedAddress.decode(bytes, valueAt: value, length: length) else { return false }
            if xorMappedAddress == nil { xorMappedAddress = address }
        case STUNAttributeType.errorCode:
            // Section 14.8: 21 reserved bits, class (3 bits, 3-6), number (8 bits, 0-99), reason of at most
            // 763 bytes.
            guard length >= 4, length <= 4 + 763 else { return false }
            let errorClass = Int(bytes[value + 2] & 0x07)
            let number = Int(bytes[value + 3])
            guard (3...6).contains(errorClass), number < 100 else { return false }
            if errorCode == nil {
                errorCode = errorClass * 100 + number
                errorReason = Self.text(bytes, at: value + 4, length: length - 4)
            }
        case STUNAttributeType.unknownAttributes:
            break
        default:
            if STUNAttributeType.isComprehensionRequired(type) { unknownComprehensionRequired.append(type) }
        }
        return true
    }

    static func uint16(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> UInt16 {
        UInt16(bigEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt16.self))
    }

    static func uint32(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> UInt32 {
        UInt32(bigEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }

    static func uint64(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> UInt64 {
        UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }

    private static func text(_ bytes: UnsafeRawBufferPointer, at offset: Int, length: Int) -> String {
        String(decoding: UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + length)]), as: UTF8.self)
    }
}
