/// Why a certificate, a context or an endpoint could not be set up. Carries no secrets.
public enum DTLSOpenSSLError: Error, Sendable, Equatable {
    /// An OpenSSL setup call failed; the text is OpenSSL's short reason.
    case openSSL(String)
    /// A protection profile ID with no known SRTP key lengths (see `DTLSSRTPKeyingMaterial.keyAndSaltLength`).
    case unsupportedProfile(UInt16)
    /// An empty protection profile list: DTLS-SRTP needs at least one (RFC 5764 section 4.1.1).
    case noProfiles
    /// A fingerprint hash function OpenSSL is not asked to compute (only the SHA family is).
    case unsupportedFingerprintAlgorithm(String)
}
