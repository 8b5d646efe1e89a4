import Foundation

/// The certificate for TLS and WSS when none is configured: `<data dir>/certs/server.{crt,key}`, made
/// with openssl on first start (a self-signed ECDSA P-256 certificate for localhost and the domain).
/// `scripts/run` makes a CA-signed one with certs/make-dev-cert before this is needed.
enum DevelopmentCertificate {
    static func ensure(dataDirectory: String, domain: String) throws -> (certificate: String, key: String) {
        let directory = (dataDirectory as NSString).appendingPathComponent("certs")
        let certificate = (directory as NSString).appendingPathComponent("server.crt")
        let key = (directory as NSString).appendingPathComponent("server.key")
        let files = FileManager.default
        if files.fileExists(atPath: certificate) && files.fileExists(atPath: key) { return (certificate, key) }
        try files.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var names = "DNS:localhost,IP:127.0.0.1,IP:::1"
        if domain != "localhost" { names += ",DNS:\(domain)" }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", key, "-out", certificate, "-days", "825", "-subj", "/CN=\(domain)",
            "-addext", "subjectAltName=\(names)",
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw GatewayError("could not make a development certificate with openssl (is it installed?)")
        }
        try files.setAttributes([.posixPermissions: 0o600], ofItemAtPath: key)
        return (certificate, key)
    }
}
