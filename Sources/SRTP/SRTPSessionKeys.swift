import COpenSSL

/// The session keys of one of SRTP or SRTCP (RFC 3711 section 4.3.1), derived once per context.
struct SRTPSessionKeys: Sendable {
    /// The labels of RFC 3711 section 4.3.1 (SRTP) and 4.3.2 (SRTCP).
    enum Label: UInt8 {
        case rtpEncryption = 0x00
        case rtpAuthentication = 0x01
        case rtpSalt = 0x02
        case rtcpEncryption = 0x03
        case rtcpAuthentication = 0x04
        case rtcpSalt = 0x05
    }

    /// k_e: 16 bytes.
    var encryptionKey: [UInt8]
    /// k_a: 20 bytes for HMAC-SHA1, empty for AEAD.
    var authenticationKey: [UInt8]
    /// k_s: 14 bytes for AES-CM, 12 for GCM.
    var salt: [UInt8]

    init(encryptionKey: [UInt8], authenticationKey: [UInt8], salt: [UInt8]) {
        self.encryptionKey = encryptionKey
        self.authenticationKey = authenticationKey
        self.salt = salt
    }

    /// Derives the SRTP (labels 0x00-0x02) or SRTCP (0x03-0x05) session keys from `masterKey`; nil when its
    /// lengths do not fit `profile` or OpenSSL fails. AEAD_AES_128_GCM uses the same AES-CM PRF (RFC 7714
    /// section 11) and needs no authentication key.
    init?(profile: SRTPProfile, masterKey: SRTPMasterKey, rtcp: Bool) {
        guard masterKey.key.count == profile.masterKeyLength, masterKey.salt.count == profile.masterSaltLength,
            let encryptionKey = SRTPSessionKeys.derive(
                masterKey: masterKey, label: rtcp ? .rtcpEncryption : .rtpEncryption, length: 16),
            let salt = SRTPSessionKeys.derive(
                masterKey: masterKey, label: rtcp ? .rtcpSalt : .rtpSalt, length: profile.masterSaltLength)
        else { return nil }
        var authenticationKey: [UInt8] = []
        if !profile.isAEAD {
            guard
                let derived = SRTPSessionKeys.derive(
                    masterKey: masterKey, label: rtcp ? .rtcpAuthentication : .rtpAuthentication,
                    length: SRTPProfile.authenticationKeyLength)
            else { return nil }
            authenticationKey = derived
        }
        self.init(encryptionKey: encryptionKey, authenticationKey: authenticationKey, salt: salt)
    }

    /// `length` bytes of the key derivation function for `label`, with key_derivation_rate 0 (RFC 3711
    /// section 4.3.1 and 4.3.3):
    /// ```
    /// key_id = label || r            (r = index DIV kdr = 0, 48 bits)
    /// x      = key_id XOR master_salt (the label lands on byte 7 of the 14-byte salt)
    /// k      = PRF_n(k_master, x)      = AES-CM keystream under k_master with IV x * 2^16
    /// ```
    /// A 12-byte GCM master salt is first multiplied by 2^16, i.e. padded with two zero bytes on the right
    /// (RFC 7714 section 11, errata 4938).
    static func derive(masterKey: SRTPMasterKey, label: Label, length: Int) -> [UInt8]? {
        guard masterKey.key.count == 16, masterKey.salt.count <= 14, length >= 0 else { return nil }
        var counter = [UInt8](repeating: 0, count: 16)
        for (offset, byte) in masterKey.salt.enumerated() { counter[offset] = byte }
        counter[7] ^= label.rawValue
        guard let cipher = parley_srtp_cipher_new(0, masterKey.key) else { return nil }
        defer { EVP_CIPHER_CTX_free(cipher) }
        var output = [UInt8](repeating: 0, count: length)
        let derived = output.withUnsafeMutableBytes { buffer -> Bool in
            parley_srtp_aes_cm(cipher, counter, buffer.baseAddress, buffer.count) == 1
        }
        return derived ? output : nil
    }
}
