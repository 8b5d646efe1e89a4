import COpenSSL
import DTLS

/// A self-signed ECDSA P-256 certificate for DTLS-SRTP, with its SHA-256 fingerprint for SDP.
///
/// WebRTC certificates are ephemeral and self-signed; the peer trusts the fingerprint carried in the signalled
/// SDP, not a chain (RFC 8827 section 6.5, RFC 5763 section 5). ECDSA P-256 is what browsers generate and accept.
///
/// `@unchecked Sendable`: the key and the certificate are written once, in `generate`, and never changed after.
/// OpenSSL allows the same `EVP_PKEY` and `X509` to be read, and up-ref'd, from several threads at once; they are
/// freed in `deinit`, when no reference to this object remains.
public final class DTLSCertificate: @unchecked Sendable {
    /// The SHA-256 of the DER certificate, for `a=fingerprint:sha-256 ...`.
    public let fingerprint: DTLSFingerprint
    /// The context for `DTLSContext.defaultProfiles`, built with the certificate so every endpoint shares it.
    public let defaultContext: DTLSContext
    /// The `EVP_PKEY`.
    let privateKey: OpaquePointer
    /// The `X509`.
    let certificate: OpaquePointer

    private init(
        privateKey: OpaquePointer, certificate: OpaquePointer, fingerprint: DTLSFingerprint,
        defaultContext: DTLSContext
    ) {
        self.privateKey = privateKey
        self.certificate = certificate
        self.fingerprint = fingerprint
        self.defaultContext = defaultContext
    }

    deinit {
        X509_free(certificate)
        EVP_PKEY_free(privateKey)
    }

    /// A new key pair and certificate: ECDSA P-256, subject and issuer `CN=<commonName>`, valid from a day ago
    /// (clock skew) for 30 days, a random 63-bit serial, signed with ECDSA-SHA256. Throws `DTLSOpenSSLError`.
    public static func generate(commonName: String = "parley") throws -> DTLSCertificate {
        ERR_clear_error()
        guard let privateKey = parley_dtls_generate_p256_key() else {
            throw DTLSOpenSSLError.openSSL(OpenSSLErrorQueue.drain(fallback: "P-256 key generation failed"))
        }
        guard let certificate = X509_new() else {
            EVP_PKEY_free(privateKey)
            throw DTLSOpenSSLError.openSSL(OpenSSLErrorQueue.drain(fallback: "X509_new failed"))
        }
        var handedOver = false
        defer {
            if !handedOver {
                X509_free(certificate)
                EVP_PKEY_free(privateKey)
            }
        }
        if let failure = fill(certificate, privateKey: privateKey, commonName: commonName) {
            throw DTLSOpenSSLError.openSSL(failure)
        }
        guard let sha256 = CertificateDigest.algorithm(named: "sha-256"),
            let digest = CertificateDigest.digest(of: certificate, algorithm: sha256)
        else {
            throw DTLSOpenSSLError.openSSL(OpenSSLErrorQueue.drain(fallback: "X509_digest failed"))
        }
        let context = try DTLSContext(
            privateKey: privateKey, certificate: certificate, profiles: DTLSContext.defaultProfiles)
        handedOver = true
        return DTLSCertificate(
            privateKey: privateKey, certificate: certificate,
            fingerprint: DTLSFingerprint(algorithm: "sha-256", bytes: digest), defaultContext: context)
    }

    /// Fills in and signs the certificate. Nil on success, else OpenSSL's reason.
    private static func fill(_ certificate: OpaquePointer, privateKey: OpaquePointer, commonName: String) -> String? {
        var random = [UInt8](repeating: 0, count: 8)
        guard RAND_bytes(&random, Int32(random.count)) == 1 else {
            return OpenSSLErrorQueue.drain(fallback: "RAND_bytes failed")
        }
        // RFC 5280 section 4.1.2.2: a positive integer; 63 random bits, never zero.
        var serial: UInt64 = 0
        for byte in random { serial = serial << 8 | UInt64(byte) }
        serial = max(1, serial >> 1)
        let day = 86_400
        guard X509_set_version(certificate, 2) == 1,  // X509_VERSION_3 (the value is the version minus one)
            ASN1_INTEGER_set_uint64(X509_get_serialNumber(certificate), serial) == 1,
            X509_gmtime_adj(X509_getm_notBefore(certificate), -day) != nil,
            X509_gmtime_adj(X509_getm_notAfter(certificate), 30 * day) != nil,
            let name = X509_get_subject_name(certificate),
            parley_dtls_add_common_name(name, commonName) == 1,
            X509_set_issuer_name(certificate, name) == 1,
            X509_set_pubkey(certificate, privateKey) == 1,
            X509_sign(certificate, privateKey, EVP_sha256()) > 0
        else {
            return OpenSSLErrorQueue.drain(fallback: "building the certificate failed")
        }
        return nil
    }
}
