import ArgumentParser
import Foundation
import Gateway
import Logging

/// `parley serve`: registrar, proxy and message relay on UDP, TCP, TLS and WebSocket.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the server.")

    @OptionGroup var common: CommonOptions

    @Option(name: .customLong("sip-udp"), help: "SIP over UDP: HOST:PORT[,HOST:PORT...] or off (default 0.0.0.0:5060; [::]:5060 for IPv6).")
    var sipUDP: String?
    @Option(name: .customLong("sip-tcp"), help: "SIP over TCP: HOST:PORT list or off (default 0.0.0.0:5060).")
    var sipTCP: String?
    @Option(name: .customLong("sip-tls"), help: "SIP over TLS: HOST:PORT list or off (default 0.0.0.0:5061).")
    var sipTLS: String?
    @Option(help: "HTTPS with the SIP WebSocket at /sip: HOST:PORT list or off (default 0.0.0.0:8443).")
    var https: String?
    @Option(name: .customLong("sip-ws"), help: "Plain WebSocket (ws://) with SIP at /sip: HOST:PORT list (default off).")
    var sipWS: String?
    @Option(name: .customLong("media-ip"), help: "The address Parley puts into SDP for media.")
    var mediaIP: String?
    @Option(name: .customLong("digest-algorithms"), help: "Digest algorithms offered, preferred first (default SHA-256,MD5).")
    var digestAlgorithms: String?
    @Option(name: .customLong("digest-uri-check"), help: "strict (default): credentials must name the Request-URI; off for sipp.")
    var digestURICheck: String?
    @Option(name: .customLong("media-ports"), help: "Media port range LOW-HIGH (default 20000-20999).")
    var mediaPorts: String?
    @Option(name: .customLong("media-codec-policy"), help: "transcode (default: Opus toward browsers) or pass-through (same codec on both legs when possible).")
    var mediaCodecPolicy: String?
    @Option(name: .customLong("opus-complexity"), help: "Opus encoder complexity 0-10 (default 5).")
    var opusComplexity: String?

    @Option(name: .customLong("web-root"), help: "The web client's folder, served at / on the HTTPS port (default ./WebClient).")
    var webRoot: String?
    @Option(name: .customLong("web-session-hours"), help: "Hours a web sign-in lasts (default 12).")
    var webSessionHours: String?

    func run() async throws {
        var flags: [String: String] = [:]
        let given: [(String, String?)] = [
            ("sip-udp", sipUDP), ("sip-tcp", sipTCP), ("sip-tls", sipTLS), ("https", https), ("sip-ws", sipWS),
            ("media-ip", mediaIP), ("media-ports", mediaPorts), ("digest-algorithms", digestAlgorithms),
            ("digest-uri-check", digestURICheck), ("media-codec-policy", mediaCodecPolicy),
            ("opus-complexity", opusComplexity), ("web-root", webRoot), ("web-session-hours", webSessionHours),
        ]
        for (key, value) in given { if let value { flags[key] = value } }
        let settings = try common.settings(extraFlags: flags)

        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            let level = ProcessInfo.processInfo.environment["PARLEY_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:))
            handler.logLevel = level ?? .info
            return handler
        }
        let logger = Logger(label: "parley")
        let gateway: ParleyGateway
        do {
            gateway = try await ParleyGateway.start(settings: settings, logger: logger)
        } catch {
            throw CommandFailure("\(error)")
        }
        for listener in gateway.listeners {
            announce("parley: listening on \(listener.transport) \(listener.address)")
        }
        announce("parley: serving domain \(settings.domain), data in \(settings.dataDirectory)")
        await SignalWaiter.waitForTermination()
        announce("parley: stopping")
        await gateway.stop()
    }
}

/// Writes one line to standard output at once (unbuffered), so that scripts waiting for it see it.
func announce(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}
