import COpenSSL

/// Certificate hashes for `a=fingerprint` (RFC 8122 section 5): the digest of the DER encoding.
enum CertificateDigest {
    /// OpenSSL's digest for an RFC 8122 hash function name; nil for the rest (md2, md5 and unknown names are not
    /// acceptable for authenticating a peer).
    static func algorithm(named name: String) -> OpaquePointer? {
        switch name {
        case "sha-1": return EVP_sha1()
        case "sha-224": return EVP_sha224()
        case "sha-256": return EVP_sha256()
        case "sha-384": return EVP_sha384()
        case "sha-512": return EVP_sha512()
        default: return nil
        }
    }

    /// The digest of a certificate's DER encoding (`X509_digest`); nil when OpenSSL fails.
    static func digest(of certificate: OpaquePointer, algorithm: OpaquePointer) -> [UInt8]? {
        var output = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        guard X509_digest(certificate, algorithm, &output, &length) == 1, Int(length) <= output.count else {
            return nil
        }
        return Array(output.prefix(Int(length)))
    }
}
