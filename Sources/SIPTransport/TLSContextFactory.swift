import NIOSSL

/// Builds the TLS contexts of the SIP TLS and WSS listeners from PEM files.
public enum TLSContextFactory {
    /// The server configuration (SIP over TLS makes its context from it; the HTTPS front takes it as is).
    public static func serverConfiguration(certificateChainPath: String, privateKeyPath: String) throws
        -> TLSConfiguration
    {
        let chain = try NIOSSLCertificate.fromPEMFile(certificateChainPath).map { NIOSSLCertificateSource.certificate($0) }
        let key = try NIOSSLPrivateKey(file: privateKeyPath, format: .pem)
        var configuration = TLSConfiguration.makeServerConfiguration(certificateChain: chain, privateKey: .privateKey(key))
        configuration.minimumTLSVersion = .tlsv12
        // Clients rarely answer close_notify (browsers just close): wait 1 s for it, not NIOSSL's 5 s, so a
        // stopping server or a closed flow does not linger.
        configuration.shutdownTimeout = .seconds(1)
        return configuration
    }

    /// For connections Parley opens to TLS contacts: the system's trust store, TLS 1.2 or later.
    public static func client() throws -> NIOSSLContext {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.minimumTLSVersion = .tlsv12
        return try NIOSSLContext(configuration: configuration)
    }
}
