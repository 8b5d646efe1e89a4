/// The SRTP master keys and salts inside the exported material.
extension DTLSSRTPKeyingMaterial {
    /// Master key and master salt lengths in bytes for a protection profile; nil for profiles Parley does not
    /// support (the NULL-cipher ones among them).
    /// RFC 5764 section 4.1.2: the AES-CM profiles use a 128-bit key and a 112-bit salt.
    /// RFC 7714 section 12: `AEAD_AES_128_GCM` a 128-bit key, `AEAD_AES_256_GCM` a 256-bit key, both a 96-bit salt.
    public static func keyAndSaltLength(forProfile id: UInt16) -> (key: Int, salt: Int)? {
        switch id {
        case 0x0001, 0x0002: return (key: 16, salt: 14)
        case 0x0007: return (key: 16, salt: 12)
        case 0x0008: return (key: 32, salt: 12)
        default: return nil
        }
    }

    /// The key and salt this endpoint protects what it sends with. RFC 5764 section 4.2: the material is
    /// `client_write_SRTP_master_key | server_write_SRTP_master_key | client_write_SRTP_master_salt |
    /// server_write_SRTP_master_salt`; the client sends with the client's. Nil when the material is too short.
    public var localKeyAndSalt: (key: ArraySlice<UInt8>, salt: ArraySlice<UInt8>)? { keyAndSalt(ofClient: isClient) }

    /// The key and salt the peer protects what it sends with (what this endpoint unprotects with).
    public var remoteKeyAndSalt: (key: ArraySlice<UInt8>, salt: ArraySlice<UInt8>)? { keyAndSalt(ofClient: !isClient) }

    private func keyAndSalt(ofClient client: Bool) -> (key: ArraySlice<UInt8>, salt: ArraySlice<UInt8>)? {
        guard let lengths = Self.keyAndSaltLength(forProfile: protectionProfileID),
            material.count >= 2 * (lengths.key + lengths.salt)
        else { return nil }
        let keyStart = client ? 0 : lengths.key
        let saltStart = 2 * lengths.key + (client ? 0 : lengths.salt)
        return (
            key: material[keyStart..<keyStart + lengths.key],
            salt: material[saltStart..<saltStart + lengths.salt]
        )
    }
}
