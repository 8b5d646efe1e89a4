import Foundation
import Gateway
import Logging
import NIOCore
import NIOPosix
import SIPCore
import SIPTestKit
import SIPTransport
import Storage
import WebFront

/// A Parley gateway on loopback with free ports and a fresh data directory, and its users:
/// alice (web account, devices alice-ws and alice-phone), bob (web account, devices bob-ws, bob-desk and
/// bob-laptop), carol (web account, device carol-ws). The `-ws` devices stand for a developer's own SIP client
/// over WebSocket: web accounts sign in over HTTPS and have no SIP password.
final class ParleyTestServer: Sendable {
    static let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)

    let gateway: ParleyGateway
    let dataDirectory: String

    /// Web passwords (HTTPS sign-in) under the user names, device passwords under the device names.
    static let passwords = [
        "alice": "alice-secret", "alice-phone": "phone-secret", "bob": "bob-secret", "bob-desk": "desk-secret",
        "bob-laptop": "laptop-secret", "carol": "carol-secret", "alice-ws": "alice-ws-secret",
        "bob-ws": "bob-ws-secret", "carol-ws": "carol-ws-secret",
    ]
    /// bcrypt's lowest cost: the tests check behaviour, not hashing time.
    static let webPassword = WebPassword(cost: 4)

    static func start(
        dataDirectory: String? = nil, digestAlgorithms: [String] = ["SHA-256", "MD5"],
        allowedOrigins: Set<String>? = nil, mediaPorts: ClosedRange<Int>? = nil, rooms: [String: [String]] = [:]
    ) async throws -> ParleyTestServer {
        let directory = dataDirectory ?? Self.makeDataDirectory()
        if dataDirectory == nil {
            let store = try ParleyStore(dataDirectory: directory)
            for user in ["alice", "bob", "carol"] {
                try store.addUser(
                    name: user, displayName: nil, passwordHash: webPassword.hash(passwords[user]!), domain: "localhost")
                try store.addDevice(user: user, device: "\(user)-ws", password: passwords["\(user)-ws"]!, domain: "localhost")
            }
            try store.addDevice(user: "alice", device: "alice-phone", password: passwords["alice-phone"]!, domain: "localhost")
            try store.addDevice(user: "bob", device: "bob-desk", password: passwords["bob-desk"]!, domain: "localhost")
            try store.addDevice(user: "bob", device: "bob-laptop", password: passwords["bob-laptop"]!, domain: "localhost")
            for (room, members) in rooms {
                try store.createRoom(name: room, displayName: room.prefix(1).uppercased() + room.dropFirst())
                for member in members { try store.addMember(room: room, user: member) }
            }
        }
        var settings = GatewaySettings()
        settings.dataDirectory = directory
        settings.sipUDP = [HostPort(host: "127.0.0.1", port: 0), HostPort(host: "::1", port: 0)]
        settings.sipTCP = [HostPort(host: "127.0.0.1", port: 0)]
        settings.sipTLS = [HostPort(host: "127.0.0.1", port: 0)]
        settings.https = [HostPort(host: "127.0.0.1", port: 0)]
        settings.webRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("WebClient").path
        settings.sipWS = [HostPort(host: "127.0.0.1", port: 0)]
        settings.digestAlgorithms = digestAlgorithms
        settings.allowedOrigins = allowedOrigins
        settings.mediaIP = "127.0.0.1"
        if let mediaPorts { settings.mediaPorts = mediaPorts }
        var logger = Logger(label: "parley-test")
        logger.logLevel = ProcessInfo.processInfo.environment["PARLEY_TEST_LOG"].flatMap(Logger.Level.init(rawValue:)) ?? .critical
        let gateway = try await ParleyGateway.start(settings: settings, logger: logger)
        return ParleyTestServer(gateway: gateway, dataDirectory: directory)
    }

    private init(gateway: ParleyGateway, dataDirectory: String) {
        self.gateway = gateway
        self.dataDirectory = dataDirectory
    }

    static func makeDataDirectory() -> String {
        let path = NSTemporaryDirectory() + "parley-test-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    func address(_ transport: SIPTransportKind, ipv6: Bool = false) -> SIPPeerAddress {
        gateway.listeners.first { $0.transport == transport && $0.address.isIPv6 == ipv6 }!.address
    }

    func stop(removingData: Bool = true) async {
        await gateway.stop()
        if removingData { try? FileManager.default.removeItem(atPath: dataDirectory) }
    }

    // MARK: Agents

    func agent(_ transport: SIPTransportKind) async throws -> SIPTestAgent {
        switch transport {
        case .udp: return try await SIPTestAgent.udp(server: address(.udp), group: Self.group)
        case .tcp: return try await SIPTestAgent.stream(server: address(.tcp), tls: false, group: Self.group)
        case .tls: return try await SIPTestAgent.stream(server: address(.tls), tls: true, group: Self.group)
        case .ws: return try await SIPTestAgent.webSocket(server: address(.ws), tls: false, group: Self.group)
        case .wss: return try await SIPTestAgent.webSocket(server: address(.wss), tls: true, group: Self.group)
        }
    }

    /// An agent registered for `user`'s AOR with the credentials of the device `account` (by default the
    /// user's `-ws` device).
    /// An agent registered as `account` for `user`; `acceptsCPIM` lists message/cpim in the REGISTER's
    /// Accept, as the web client does. `prepare` runs first (handlers for what arrives on registration).
    func registered(
        _ transport: SIPTransportKind, user: String, account: String? = nil, acceptsCPIM: Bool = false,
        beforeRegistering prepare: (SIPTestAgent) -> Void = { _ in }
    ) async throws -> SIPTestAgent {
        let agent = try await agent(transport)
        prepare(agent)
        let account = account ?? "\(user)-ws"
        let response = try await agent.register(
            aor: "sip:\(user)@localhost", username: account, password: Self.passwords[account]!,
            headers: acceptsCPIM ? [("Accept", "message/cpim, text/plain")] : [])
        guard response.status == .ok else {
            throw SIPTestAgentError.unexpected("REGISTER of \(account) got \(response.status.code) \(response.reasonPhrase)")
        }
        return agent
    }
}
