/// The DTLS-SRTP keying material layout (RFC 5764 section 4.2).
public enum SRTPKeyingMaterial {
    /// Bytes to export with the label `EXTRACTOR-dtls_srtp` and no context: two master keys and two master
    /// salts, `2 * (SRTPMasterKeyLength + SRTPMasterSaltLength)` (RFC 5764 section 4.2).
    public static func exportLength(for profile: SRTPProfile) -> Int {
        2 * (profile.masterKeyLength + profile.masterSaltLength)
    }

    /// Splits exported keying material into this side's master key (`local`, used to protect what it sends)
    /// and the peer's (`remote`, used to unprotect what it receives). nil when the length does not fit the
    /// profile.
    ///
    /// RFC 5764 section 4.2: the material is
    /// `client_write_SRTP_master_key | server_write_SRTP_master_key | client_write_SRTP_master_salt |
    /// server_write_SRTP_master_salt`; the DTLS client sends with the client's key.
    public static func split(
        _ exported: [UInt8], profile: SRTPProfile, isDTLSClient: Bool
    ) -> (local: SRTPMasterKey, remote: SRTPMasterKey)? {
        guard exported.count == exportLength(for: profile) else { return nil }
        let keyLength = profile.masterKeyLength
        let saltLength = profile.masterSaltLength
        let saltStart = 2 * keyLength
        let client = SRTPMasterKey(
            key: Array(exported[0..<keyLength]),
            salt: Array(exported[saltStart..<(saltStart + saltLength)]))
        let server = SRTPMasterKey(
            key: Array(exported[keyLength..<saltStart]),
            salt: Array(exported[(saltStart + saltLength)..<(saltStart + 2 * saltLength)]))
        return isDTLSClient ? (local: client, remote: server) : (local: server, remote: client)
    }
}
