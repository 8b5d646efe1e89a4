import Crypto

extension STUNMessageView {
    /// RFC 8489 section 14.7: FINGERPRINT is the CRC-32 of the message up to (not including) the attribute,
    /// XOR 0x5354554E. Since it is last, the header length already covers it. `bytes` must be the buffer this
    /// view was made from; false if there is no FINGERPRINT.
    public func verifyFingerprint(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard let offset = fingerprintOffset, bytes.count == size, offset + 8 == bytes.count else { return false }
        let crc = CRC32.checksum(UnsafeRawBufferPointer(rebasing: bytes[0..<offset]))
        return crc ^ STUNHeader.fingerprintXOR == Self.uint32(bytes, at: offset + 4)
    }

    /// RFC 8489 section 14.5: MESSAGE-INTEGRITY is the HMAC-SHA1, keyed with `key`, of the message up to the
    /// attribute, with the header length set as if the message ended right after it (attributes after it,
    /// such as FINGERPRINT, are left out). For short-term credentials (ICE) the key is the password's UTF-8
    /// bytes (section 9.1.1; ICE passwords need no OpaqueString processing). Compared in constant time.
    public func verifyMessageIntegrity(_ bytes: UnsafeRawBufferPointer, key: [UInt8]) -> Bool {
        guard let offset = messageIntegrityOffset, bytes.count == size, offset + 24 <= bytes.count else {
            return false
        }
        var hmac = HMAC<Insecure.SHA1>(key: SymmetricKey(data: key))
        authenticate(&hmac, bytes, attributeOffset: offset, attributeSize: 24)
        return hmac.finalize().withUnsafeBytes { (computed) -> Bool in
            Self.constantTimeEqual(computed, UnsafeRawBufferPointer(rebasing: bytes[(offset + 4)..<(offset + 24)]))
        }
    }

    /// RFC 8489 section 14.6: as `verifyMessageIntegrity` with HMAC-SHA256, which may be truncated to the
    /// attribute's length (16 to 32 bytes).
    public func verifyMessageIntegritySHA256(_ bytes: UnsafeRawBufferPointer, key: [UInt8]) -> Bool {
        guard let offset = messageIntegritySHA256Offset, bytes.count == size, offset + 4 <= bytes.count else {
            return false
        }
        let length = Int(Self.uint16(bytes, at: offset + 2))
        guard offset + 4 + length <= bytes.count else { return false }
        var hmac = HMAC<SHA256>(key: SymmetricKey(data: key))
        authenticate(&hmac, bytes, attributeOffset: offset, attributeSize: 4 + length)
        return hmac.finalize().withUnsafeBytes { (computed) -> Bool in
            guard computed.count >= length else { return false }
            return Self.constantTimeEqual(
                UnsafeRawBufferPointer(rebasing: computed[0..<length]),
                UnsafeRawBufferPointer(rebasing: bytes[(offset + 4)..<(offset + 4 + length)]))
        }
    }

    /// Feeds the header, with the length adjusted to end after the integrity attribute, and the attributes
    /// before it.
    private func authenticate<H: HashFunction>(
        _ hmac: inout HMAC<H>, _ bytes: UnsafeRawBufferPointer, attributeOffset: Int, attributeSize: Int
    ) {
        let adjustedLength = UInt32(truncatingIfNeeded: attributeOffset + attributeSize - STUNHeader.size) & 0xFFFF
        let head = (UInt32(messageType) << 16 | adjustedLength).bigEndian
        withUnsafeBytes(of: head) { hmac.update(data: $0) }
        hmac.update(data: UnsafeRawBufferPointer(rebasing: bytes[4..<attributeOffset]))
    }

    private static func constantTimeEqual(_ lhs: UnsafeRawBufferPointer, _ rhs: UnsafeRawBufferPointer) -> Bool {
        guard lhs.count == rhs.count else { return false }
        var difference: UInt8 = 0
        for index in 0..<lhs.count {
            difference |= lhs[index] ^ rhs[index]
        }
        return difference == 0
    }
}
