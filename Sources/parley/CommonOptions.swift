import ArgumentParser
import Foundation
import Gateway

/// --config, --data-dir and --domain, shared by every command (DESIGN.md, command-line contract).
struct CommonOptions: ParsableArguments {
    @Option(help: "A config file of `key = value` lines; keys are the long flag names.")
    var config: String?

    @Option(name: .customLong("data-dir"), help: "Data directory: parley.sqlite and certs/ (default ./data).")
    var dataDirectory: String?

    @Option(help: "The SIP domain of the public identities, also the digest realm (default localhost).")
    var domain: String?

    var flags: [String: String] {
        var flags: [String: String] = [:]
        if let dataDirectory { flags["data-dir"] = dataDirectory }
        if let domain { flags["domain"] = domain }
        return flags
    }

    func settings(extraFlags: [String: String] = [:]) throws -> GatewaySettings {
        do {
            return try ConfigurationLoader.load(
                flags: flags.merging(extraFlags) { _, new in new }, configFile: config,
                environment: ProcessInfo.processInfo.environment)
        } catch {
            throw CommandFailure(error.description)
        }
    }
}

/// An error printed as one line on stderr, exit status 1.
struct CommandFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
