import COpenSSL
import DTLS

/// An OpenSSL `SSL_CTX` for DTLS 1.2 with SRTP: one certificate and one protection profile list, shared by every
/// endpoint that uses them. Building a context is the expensive part (OpenSSL 3 fetches its algorithms); an `SSL`
/// made from it is cheap.
///
/// `@unchecked Sendable`: the context is configured in `init` and never changed after. OpenSSL lets threads share
/// a configured `SSL_CTX` to make `SSL` objects (`SSL_new` only up-refs it, atomically), and the one thing a
/// handshake would write into it, the session cache, is off.
public final class DTLSContext: @unchecked Sendable {
    /// `SRTP_AEAD_AES_128_GCM`, `SRTP_AES128_CM_HMAC_SHA1_80`, `SRTP_AES128_CM_HMAC_SHA1_32`: what browsers offer,
    /// in the order a server prefers them (RFC 7714 section 14.2, RFC 5764 section 4.1.2).
    public static let defaultProfiles: [UInt16] = [0x0007, 0x0001, 0x0002]

    /// The SRTP protection profiles offered (client) or accepted (server), in order of preference.
    public let profiles: [UInt16]
    /// The `SSL_CTX`.
    let context: OpaquePointer

    /// A context for a certificate. Throws `DTLSOpenSSLError`.
    public convenience init(certificate: DTLSCertificate, profiles: [UInt16] = DTLSContext.defaultProfiles) throws {
        try self.init(privateKey: certificate.privateKey, certificate: certificate.certificate, profiles: profiles)
    }

    /// `SSL_CTX_use_certificate` and `SSL_CTX_use_PrivateKey` up-ref both, so the context does not depend on the
    /// `DTLSCertificate` object staying alive.
    init(privateKey: OpaquePointer, certificate: OpaquePointer, profiles: [UInt16]) throws {
        guard !profiles.isEmpty else { throw DTLSOpenSSLError.noProfiles }
        var names: [String] = []
        for id in profiles {
            guard let name = DTLSContext.profileName(id) else { throw DTLSOpenSSLError.unsupportedProfile(id) }
            names.append(name)
        }
        ERR_clear_error()
        guard let context = SSL_CTX_new(DTLS_method()) else {
            throw DTLSOpenSSLError.openSSL(OpenSSLErrorQueue.drain(fallback: "SSL_CTX_new failed"))
        }
        let failure = DTLSContext.configure(
            context, privateKey: privateKey, certificate: certificate, profiles: names.joined(separator: ":"))
        if let failure {
            SSL_CTX_free(context)
            throw DTLSOpenSSLError.openSSL(failure)
        }
        self.context = context
        self.profiles = profiles
    }

    deinit {
        SSL_CTX_free(context)
    }

    /// OpenSSL's name for a profile (its `use_srtp` list syntax); nil for profiles without known key lengths.
    static func profileName(_ id: UInt16) -> String? {
        guard DTLSSRTPKeyingMaterial.keyAndSaltLength(forProfile: id) != nil else { return nil }
        switch id {
        case 0x0001: return "SRTP_AES128_CM_SHA1_80"
        case 0x0002: return "SRTP_AES128_CM_SHA1_32"
        case 0x0007: return "SRTP_AEAD_AES_128_GCM"
        case 0x0008: return "SRTP_AEAD_AES_256_GCM"
        default: return nil
        }
    }

    /// Nil on success, else OpenSSL's reason.
    private static func configure(
        _ context: OpaquePointer, privateKey: OpaquePointer, certificate: OpaquePointer, profiles: String
    ) -> String? {
        // RFC 8827 section 6.5 asks for DTLS 1.2 or later; OpenSSL 3.0 has no DTLS 1.3, and 1.0 is obsolete.
        guard parley_dtls_ctx_set_dtls12_only(context) == 1 else {
            return OpenSSLErrorQueue.drain(fallback: "cannot restrict the context to DTLS 1.2")
        }
        // A memory BIO has no path MTU to ask for; each endpoint sets its MTU itself.
        _ = SSL_CTX_set_options(context, parley_dtls_op_no_query_mtu())
        parley_dtls_ctx_disable_resumption(context)
        guard SSL_CTX_use_certificate(context, certificate) == 1,
            SSL_CTX_use_PrivateKey(context, privateKey) == 1,
            SSL_CTX_check_private_key(context) == 1
        else {
            return OpenSSLErrorQueue.drain(fallback: "the certificate or its key was refused")
        }
        // RFC 5764 section 4.1.1: the use_srtp extension with these profiles. This call returns 0 on success.
        guard SSL_CTX_set_tlsext_use_srtp(context, profiles) == 0 else {
            return OpenSSLErrorQueue.drain(fallback: "the SRTP profiles were refused")
        }
        // RFC 5763 section 5: both sides present a certificate, so the server requests the client's. They are
        // self-signed, so the chain check always passes here: the endpoint compares the peer certificate with the
        // SDP fingerprint once the handshake is done (RFC 8122 section 5).
        SSL_CTX_set_verify(context, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT) { _, _ in 1 }
        return nil
    }
}
