import Foundation

/// Merges the three sources of settings (DESIGN.md, command-line contract): command-line flags win over
/// `PARLEY_*` environment variables, which win over the config file, which wins over the defaults.
/// The config file has one `key = value` per line, `#` comments, and the same keys as the long flags.
public enum ConfigurationLoader {
    public static let keys: [String] = [
        "domain", "data-dir", "sip-udp", "sip-tcp", "sip-tls", "https", "sip-ws", "media-ip", "media-ports",
        "tls-certificate", "tls-key", "allowed-origins", "ws-ping-seconds", "digest-algorithms", "digest-uri-check",
        "media-codec-policy", "opus-complexity", "web-root", "web-session-hours",
    ]

    public static func environmentName(for key: String) -> String {
        "PARLEY_" + key.uppercased().replacingOccurrences(of: "-", with: "_")
    }

    /// - Parameters:
    ///   - flags: values given on the command line, by key.
    ///   - configFile: the `--config` path, if any (else `PARLEY_CONFIG`).
    public static func load(
        flags: [String: String], configFile: String?, environment: [String: String]
    ) throws(ConfigurationError) -> GatewaySettings {
        var values: [String: (value: String, source: String)] = [:]
        if let path = configFile ?? environment["PARLEY_CONFIG"] {
            for (key, value) in try readFile(path) { values[key] = (value, path) }
        }
        for key in keys {
            let name = environmentName(for: key)
            if let value = environment[name] { values[key] = (value, name) }
        }
        for (key, value) in flags { values[key] = (value, "--\(key)") }

        var settings = GatewaySettings()
        for (key, entry) in values {
            try apply(key: key, value: entry.value, source: entry.source, to: &settings)
        }
        return settings
    }

    static func readFile(_ path: String) throws(ConfigurationError) -> [(String, String)] {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigurationError(key: "config", source: path, reason: "cannot read the file")
        }
        var entries: [(String, String)] = []
        for (number, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0]
                .trimmingCharacters(in: .whitespaces)
            guard !line.isEmpty else { continue }
            guard let equals = line.firstIndex(of: "=") else {
                throw ConfigurationError(key: "line \(number + 1)", source: path, reason: "expected key = value")
            }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces)
            var value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") { value = String(value.dropFirst().dropLast()) }
            guard keys.contains(key) else {
                throw ConfigurationError(key: key, source: path, reason: "unknown key (known: \(keys.joined(separator: ", ")))")
            }
            entries.append((key, value))
        }
        return entries
    }

    static func apply(key: String, value: String, source: String, to settings: inout GatewaySettings) throws(ConfigurationError) {
        func fail(_ reason: String) -> ConfigurationError {
            ConfigurationError(key: key, source: source, reason: reason)
        }
        func listener() throws(ConfigurationError) -> [HostPort] {
            if value == "off" { return [] }
            var addresses: [HostPort] = []
            for item in value.split(separator: ",") {
                let text = item.trimmingCharacters(in: .whitespaces)
                switch HostPort.parse(text) {
                case .success(let hostPort): addresses.append(hostPort)
                case .failure(let failure):
                    throw fail("\(failure.reason) (a comma-separated list) or off, got '\(value)'")
                }
            }
            guard !addresses.isEmpty else { throw fail("expected HOST:PORT (a comma-separated list) or off") }
            return addresses
        }
        switch key {
        case "domain":
            guard !value.isEmpty, value.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" }) else {
                throw fail("a domain is letters, digits, dots and dashes, got '\(value)'")
            }
            settings.domain = value.lowercased()
        case "data-dir":
            guard !value.isEmpty else { throw fail("must not be empty") }
            settings.dataDirectory = value
        case "sip-udp": settings.sipUDP = try listener()
        case "sip-tcp": settings.sipTCP = try listener()
        case "sip-tls": settings.sipTLS = try listener()
        case "https": settings.https = try listener()
        case "sip-ws": settings.sipWS = try listener()
        case "media-ip":
            guard value.contains(".") || value.contains(":") else { throw fail("expected an IP address, got '\(value)'") }
            // c=0.0.0.0 means hold (RFC 3264 section 8.4): an unspecified address cannot go into SDP.
            guard !["0.0.0.0", "::", "[::]"].contains(value) else {
                throw fail("expected the address peers send media to, not the unspecified '\(value)'")
            }
            settings.mediaIP = value
        case "media-ports":
            let bounds = value.split(separator: "-").compactMap { Int($0) }
            guard bounds.count == 2, bounds[0] >= 1024, bounds[0] <= bounds[1], bounds[1] <= 65535 else {
                throw fail("expected LOW-HIGH within 1024-65535, got '\(value)'")
            }
            settings.mediaPorts = bounds[0]...bounds[1]
        case "media-codec-policy":
            switch value.lowercased() {
            case "transcode": settings.mediaCodecPolicy = .transcodeToOpus
            case "pass-through": settings.mediaCodecPolicy = .preferPassThrough
            default: throw fail("expected transcode or pass-through, got '\(value)'")
            }
        case "opus-complexity":
            guard let complexity = Int32(value), (0...10).contains(complexity) else {
                throw fail("expected 0 to 10, got '\(value)'")
            }
            settings.opusComplexity = complexity
        case "web-root":
            guard !value.isEmpty else { throw fail("expected the web client's folder") }
            settings.webRoot = value
        case "web-session-hours":
            guard let hours = Int(value), (1...720).contains(hours) else { throw fail("expected 1 to 720 hours") }
            settings.webSessionHours = hours
        case "tls-certificate": settings.tlsCertificate = value
        case "tls-key": settings.tlsKey = value
        case "allowed-origins":
            let origins = value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            settings.allowedOrigins = Set(origins)
        case "ws-ping-seconds":
            guard let seconds = Int(value), (5...3600).contains(seconds) else { throw fail("expected 5 to 3600 seconds") }
            settings.webSocketPingSeconds = seconds
        case "digest-uri-check":
            switch value.lowercased() {
            case "strict", "on", "true": settings.digestURICheck = true
            case "off", "false": settings.digestURICheck = false
            default: throw fail("expected strict or off, got '\(value)'")
            }
        case "digest-algorithms":
            let names = value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).uppercased() }
            guard !names.isEmpty, names.allSatisfy({ $0 == "MD5" || $0 == "SHA-256" }), Set(names).count == names.count else {
                throw fail("expected a list of SHA-256 and MD5, preferred first, got '\(value)'")
            }
            settings.digestAlgorithms = names
        default:
            throw fail("unknown key")
        }
    }
}
