/// A master key and master salt for one direction (RFC 3711 section 3.2.1), e.g. one half of the DTLS-SRTP
/// keying material (RFC 5764 section 4.2). Its description never shows the bytes, so it cannot reach a log.
public struct SRTPMasterKey: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The master key: 16 bytes for every supported profile.
    public let key: [UInt8]
    /// The master salt: 14 bytes for AES-CM, 12 for AEAD_AES_128_GCM.
    public let salt: [UInt8]

    public init(key: [UInt8], salt: [UInt8]) {
        self.key = key
        self.salt = salt
    }

    public var description: String { "SRTPMasterKey(\(key.count)-byte key, \(salt.count)-byte salt)" }
    public var debugDescription: String { description }
}
