import COpenSSL

/// The keyed OpenSSL state of one of SRTP or SRTCP: an AES-128 context keyed once (ECB producing the AES-CM
/// keystream, or GCM re-initialised with each packet's IV), the HMAC-SHA1 pad states for the AES-CM
/// profiles, and the session salt. Nothing here allocates per packet. Owned by one `SRTPContext`; freed
/// (and wiped) with it.
final class SRTPTransform {
    /// The `EVP_CIPHER_CTX`.
    let cipher: OpaquePointer
    /// HMAC-SHA1 keyed with k_a; nil for AEAD_AES_128_GCM.
    let authenticator: UnsafeMutablePointer<parley_srtp_hmac_sha1_key>?
    /// k_s, left-aligned in 16 zeroed bytes so IVs are built with whole-word loads.
    let salt: UnsafeMutableRawPointer

    static let saltCapacity = 16

    init?(profile: SRTPProfile, keys: SRTPSessionKeys) {
        guard keys.encryptionKey.count == 16, keys.salt.count == profile.masterSaltLength,
            profile.isAEAD || keys.authenticationKey.count == SRTPProfile.authenticationKeyLength,
            let cipher = parley_srtp_cipher_new(profile.isAEAD ? 1 : 0, keys.encryptionKey)
        else { return nil }
        var authenticator: UnsafeMutablePointer<parley_srtp_hmac_sha1_key>? = nil
        if !profile.isAEAD {
            let state = UnsafeMutablePointer<parley_srtp_hmac_sha1_key>.allocate(capacity: 1)
            state.initialize(to: parley_srtp_hmac_sha1_key())
            guard parley_srtp_hmac_sha1_init(state, keys.authenticationKey, keys.authenticationKey.count) == 1 else {
                state.deinitialize(count: 1)
                state.deallocate()
                EVP_CIPHER_CTX_free(cipher)
                return nil
            }
            authenticator = state
        }
        let salt = UnsafeMutableRawPointer.allocate(byteCount: Self.saltCapacity, alignment: 16)
        salt.initializeMemory(as: UInt8.self, repeating: 0, count: Self.saltCapacity)
        for (offset, byte) in keys.salt.enumerated() {
            salt.storeBytes(of: byte, toByteOffset: offset, as: UInt8.self)
        }
        self.cipher = cipher
        self.authenticator = authenticator
        self.salt = salt
    }

    deinit {
        // EVP_CIPHER_CTX_free wipes the key schedule itself.
        EVP_CIPHER_CTX_free(cipher)
        if let authenticator {
            OPENSSL_cleanse(authenticator, MemoryLayout<parley_srtp_hmac_sha1_key>.size)
            authenticator.deinitialize(count: 1)
            authenticator.deallocate()
        }
        OPENSSL_cleanse(salt, Self.saltCapacity)
        salt.deallocate()
    }
}
