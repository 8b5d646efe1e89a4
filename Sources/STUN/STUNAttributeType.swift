/// Attribute types this module reads or writes (RFC 8489 section 18.3, RFC 8445 section 16.1). Types below
/// 0x8000 are comprehension-required, the others comprehension-optional (RFC 8489 section 14).
public enum STUNAttributeType {
    /// USERNAME (RFC 8489 section 14.3).
    public static let username: UInt16 = 0x0006
    /// MESSAGE-INTEGRITY, HMAC-SHA1 (RFC 8489 section 14.5).
    public static let messageIntegrity: UInt16 = 0x0008
    /// ERROR-CODE (RFC 8489 section 14.8).
    public static let errorCode: UInt16 = 0x0009
    /// UNKNOWN-ATTRIBUTES (RFC 8489 section 14.9).
    public static let unknownAttributes: UInt16 = 0x000A
    /// MESSAGE-INTEGRITY-SHA256 (RFC 8489 section 14.6).
    public static let messageIntegritySHA256: UInt16 = 0x001C
    /// XOR-MAPPED-ADDRESS (RFC 8489 section 14.2).
    public static let xorMappedAddress: UInt16 = 0x0020
    /// PRIORITY (RFC 8445 section 7.1.1).
    public static let priority: UInt16 = 0x0024
    /// USE-CANDIDATE (RFC 8445 section 7.1.2).
    public static let useCandidate: UInt16 = 0x0025
    /// SOFTWARE (RFC 8489 section 14.10).
    public static let software: UInt16 = 0x8022
    /// FINGERPRINT (RFC 8489 section 14.7).
    public static let fingerprint: UInt16 = 0x8028
    /// ICE-CONTROLLED (RFC 8445 section 7.1.3).
    public static let iceControlled: UInt16 = 0x8029
    /// ICE-CONTROLLING (RFC 8445 section 7.1.3).
    public static let iceControlling: UInt16 = 0x802A

    /// RFC 8489 section 14: an agent that does not understand an attribute in 0x0000-0x7FFF must not
    /// process the message as if it had.
    public static func isComprehensionRequired(_ type: UInt16) -> Bool {
        type < 0x8000
    }
}
