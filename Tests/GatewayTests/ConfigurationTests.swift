import Foundation
import Gateway
import Testing

/// The command-line contract of DESIGN.md: flags over PARLEY_* variables over the config file over the
/// defaults, and a bad value names its key.
@Suite("Configuration")
struct ConfigurationTests {
    static func file(_ text: String) throws -> String {
        let path = NSTemporaryDirectory() + "parley-config-\(UUID().uuidString).conf"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func defaultsAreThoseOfTheDesign() throws {
        let settings = try ConfigurationLoader.load(flags: [:], configFile: nil, environment: [:])
        #expect(settings.domain == "localhost")
        #expect(settings.dataDirectory == "./data")
        #expect(settings.sipUDP == [HostPort(host: "0.0.0.0", port: 5060)])
        #expect(settings.sipTLS == [HostPort(host: "0.0.0.0", port: 5061)])
        #expect(settings.https == [HostPort(host: "0.0.0.0", port: 8443)])
        #expect(settings.sipWS.isEmpty)
        #expect(settings.mediaPorts == 20000...20999)
    }

    @Test func flagsBeatEnvironmentWhichBeatsTheFile() throws {
        let path = try Self.file("# comment\ndomain = file.example\nsip-udp = 127.0.0.1:7000\nmedia-ports = 30000-30099\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let settings = try ConfigurationLoader.load(
            flags: ["domain": "flag.example"], configFile: path,
            environment: ["PARLEY_DOMAIN": "env.example", "PARLEY_SIP_UDP": "127.0.0.1:7001,[::1]:7001"])
        #expect(settings.domain == "flag.example")
        #expect(settings.sipUDP == [HostPort(host: "127.0.0.1", port: 7001), HostPort(host: "::1", port: 7001)])
        #expect(settings.mediaPorts == 30000...30099)
    }

    @Test func offTurnsAListenerOff() throws {
        let settings = try ConfigurationLoader.load(flags: ["sip-tls": "off"], configFile: nil, environment: [:])
        #expect(settings.sipTLS.isEmpty)
    }

    @Test(arguments: [
        ("sip-udp", "nonsense"), ("media-ports", "9-8"), ("digest-algorithms", "SHA-512"), ("domain", "bad domain"),
        ("digest-uri-check", "maybe"), ("ws-ping-seconds", "1"),
    ])
    func badValuesNameTheirKey(key: String, value: String) {
        #expect {
            _ = try ConfigurationLoader.load(flags: [key: value], configFile: nil, environment: [:])
        } throws: { error in
            (error as? ConfigurationError)?.key == key && "\(error)".contains("--\(key)")
        }
    }

    @Test func unknownFileKeyIsRefusedWithItsName() throws {
        let path = try Self.file("colour = blue\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect {
            _ = try ConfigurationLoader.load(flags: [:], configFile: path, environment: [:])
        } throws: { error in
            (error as? ConfigurationError)?.key == "colour"
        }
    }
}
