import Crypto
import NIOCore

/// Writes a STUN message (RFC 8489 sections 5 and 14) into an array it owns. The header length field is
/// correct after every append, which MESSAGE-INTEGRITY and FINGERPRINT rely on, so those two go last:
/// MESSAGE-INTEGRITY (and/or MESSAGE-INTEGRITY-SHA256), then FINGERPRINT. Padding bytes are zero (section 14).
///
/// Text values are cut, at a character boundary, to the sizes RFC 8489 allows (USERNAME, SOFTWARE and the
/// reason phrase: 508 bytes). The caller keeps the whole message under 64 KiB (in practice under the path
/// MTU, section 6.1).
public struct STUNMessageBuilder: Sendable {
    /// The message so far; always a complete, well-formed message.
    public private(set) var bytes: [UInt8]
    public let transactionID: STUNTransactionID

    /// Starts a message of `type` (e.g. `STUNClass.request.messageType(method: STUNMethod.binding)`).
    public init(type: UInt16, transactionID: STUNTransactionID, capacity: Int = 128) {
        self.transactionID = transactionID
        bytes = []
        bytes.reserveCapacity(max(capacity, STUNHeader.size))
        appendUInt16(type & 0x3FFF)
        appendUInt16(0)
        appendUInt32(STUNHeader.magicCookie)
        transactionID.append(to: &bytes)
    }

    /// Starts a message of `method` in `messageClass`.
    public init(method: UInt16, messageClass: STUNClass, transactionID: STUNTransactionID) {
        self.init(type: messageClass.messageType(method: method), transactionID: transactionID)
    }

    /// The finished message.
    public func finish() -> [UInt8] {
        bytes
    }

    /// USERNAME (RFC 8489 section 14.3); for ICE "<receiver's ufrag>:<sender's ufrag>" (RFC 8445 section 7.2.2).
    public mutating func append(username: String) {
        appendAttribute(type: STUNAttributeType.username, value: Self.utf8Prefix(username, maxBytes: 508))
    }

    /// SOFTWARE (RFC 8489 section 14.10).
    public mutating func appendSoftware(_ software: String) {
        appendAttribute(type: STUNAttributeType.software, value: Self.utf8Prefix(software, maxBytes: 508))
    }

    /// PRIORITY (RFC 8445 section 7.1.1).
    public mutating func appendPriority(_ priority: UInt32) {
        appendAttributeHeader(type: STUNAttributeType.priority, length: 4)
        appendUInt32(priority)
        endAttribute()
    }

    /// USE-CANDIDATE, no value (RFC 8445 section 7.1.2).
    public mutating func appendUseCandidate() {
        appendAttributeHeader(type: STUNAttributeType.useCandidate, length: 0)
        endAttribute()
    }

    /// ICE-CONTROLLING with the sender's tie-breaker (RFC 8445 section 7.1.3).
    public mutating func appendICEControlling(_ tieBreaker: UInt64) {
        appendAttributeHeader(type: STUNAttributeType.iceControlling, length: 8)
        appendUInt64(tieBreaker)
        endAttribute()
    }

    /// ICE-CONTROLLED with the sender's tie-breaker (RFC 8445 section 7.1.3).
    public mutating func appendICEControlled(_ tieBreaker: UInt64) {
        appendAttributeHeader(type: STUNAttributeType.iceControlled, length: 8)
        appendUInt64(tieBreaker)
        endAttribute()
    }

    /// XOR-MAPPED-ADDRESS (RFC 8489 section 14.2), IPv4 or IPv6. Writes nothing and returns false for a
    /// Unix-domain address.
    @discardableResult
    public mutating func appendXORMappedAddress(_ address: SocketAddress) -> Bool {
        guard let port = address.port, let packed = address.packedIPAddressBytes else { return false }
        appendAttributeHeader(type: STUNAttributeType.xorMappedAddress, length: 4 + packed.count)
        bytes.append(0)
        bytes.append(packed.count == 4 ? XORMappedAddress.familyIPv4 : XORMappedAddress.familyIPv6)
        appendUInt16(UInt16(truncatingIfNeeded: port) ^ XORMappedAddress.portMask)
        // The magic cookie, then (IPv6) the transaction ID: header bytes 4 on.
        for index in packed.indices {
            let mask = bytes[4 + index]
            bytes.append(packed[index] ^ mask)
        }
        endAttribute()
        return true
    }

    /// ERROR-CODE (RFC 8489 section 14.8). A code outside 300-699 is written as 500.
    public mutating func appendErrorCode(_ code: Int, reason: String) {
        let code = (300...699).contains(code) ? code : STUNErrorCode.serverError
        let reason = Self.utf8Prefix(reason, maxBytes: 508)
        appendAttributeHeader(type: STUNAttributeType.errorCode, length: 4 + reason.count)
        bytes.append(0)
        bytes.append(0)
        bytes.append(UInt8(truncatingIfNeeded: code / 100))
        bytes.append(UInt8(truncatingIfNeeded: code % 100))
        bytes.append(contentsOf: reason)
        endAttribute()
    }

    /// UNKNOWN-ATTRIBUTES (RFC 8489 section 14.9): the types, 16 bits each.
    public mutating func appendUnknownAttributes(_ types: [UInt16]) {
        appendAttributeHeader(type: STUNAttributeType.unknownAttributes, length: 2 * types.count)
        for type in types { appendUInt16(type) }
        endAttribute()
    }

    /// Any attribute: type, value, zero padding.
    public mutating func appendAttribute(type: UInt16, value: some Collection<UInt8>) {
        appendAttributeHeader(type: type, length: value.count)
        bytes.append(contentsOf: value)
        endAttribute()
    }

    /// MESSAGE-INTEGRITY (RFC 8489 section 14.5): HMAC-SHA1 with `key` over the message so far, with the
    /// length field already counting this attribute. Short-term credentials: key = password bytes.
    public mutating func appendMessageIntegrity(key: [UInt8]) {
        setLength(bytes.count + 24 - STUNHeader.size)
        let code = HMAC<Insecure.SHA1>.authenticationCode(for: bytes, using: SymmetricKey(data: key))
        appendAttributeHeader(type: STUNAttributeType.messageIntegrity, length: 20)
        code.withUnsafeBytes { bytes.append(contentsOf: $0) }
        endAttribute()
    }

    /// MESSAGE-INTEGRITY-SHA256 (RFC 8489 section 14.6), untruncated (32 bytes).
    public mutating func appendMessageIntegritySHA256(key: [UInt8]) {
        setLength(bytes.count + 36 - STUNHeader.size)
        let code = HMAC<SHA256>.authenticationCode(for: bytes, using: SymmetricKey(data: key))
        appendAttributeHeader(type: STUNAttributeType.messageIntegritySHA256, length: 32)
        code.withUnsafeBytes { bytes.append(contentsOf: $0) }
        endAttribute()
    }

    /// FINGERPRINT (RFC 8489 section 14.7): CRC-32 of the message so far, length field counting this
    /// attribute, XOR 0x5354554E. Must be the last attribute.
    public mutating func appendFingerprint() {
        setLength(bytes.count + 8 - STUNHeader.size)
        let crc = bytes.withUnsafeBytes { CRC32.checksum($0) } ^ STUNHeader.fingerprintXOR
        appendAttributeHeader(type: STUNAttributeType.fingerprint, length: 4)
        appendUInt32(crc)
        endAttribute()
    }

    private mutating func appendAttributeHeader(type: UInt16, length: Int) {
        appendUInt16(type)
        appendUInt16(UInt16(truncatingIfNeeded: length))
    }

    /// Pads the value to 4 bytes and brings the header length up to date.
    private mutating func endAttribute() {
        while bytes.count & 3 != 0 { bytes.append(0) }
        setLength(bytes.count - STUNHeader.size)
    }

    private mutating func setLength(_ length: Int) {
        bytes[2] = UInt8(truncatingIfNeeded: length >> 8)
        bytes[3] = UInt8(truncatingIfNeeded: length)
    }

    private mutating func appendUInt16(_ value: UInt16) {
        bytes.append(UInt8(truncatingIfNeeded: value >> 8))
        bytes.append(UInt8(truncatingIfNeeded: value))
    }

    private mutating func appendUInt32(_ value: UInt32) {
        appendUInt16(UInt16(truncatingIfNeeded: value >> 16))
        appendUInt16(UInt16(truncatingIfNeeded: value))
    }

    private mutating func appendUInt64(_ value: UInt64) {
        appendUInt32(UInt32(truncatingIfNeeded: value >> 32))
        appendUInt32(UInt32(truncatingIfNeeded: value))
    }

    /// The longest prefix of `text` that is whole characters (Unicode scalars) and at most `maxBytes` of UTF-8.
    static func utf8Prefix(_ text: String, maxBytes: Int) -> [UInt8] {
        var total = 0
        for scalar in text.unicodeScalars {
            let size = scalar.utf8.count
            if total + size > maxBytes { break }
            total += size
        }
        return Array(text.utf8.prefix(total))
    }
}
