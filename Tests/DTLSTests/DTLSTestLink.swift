import DTLS
import DTLSOpenSSL
import NIOCore

/// A DTLS client and server, each with its own certificate, joined in memory on a virtual clock that moves only
/// when a test moves it.
final class DTLSTestLink {
    let clientCertificate: DTLSCertificate
    let serverCertificate: DTLSCertificate
    let client: OpenSSLDTLSEndpoint
    let server: OpenSSLDTLSEndpoint
    var now = NIODeadline.uptimeNanoseconds(5_000_000_000)
    private(set) var clientEvents: [DTLSEvent] = []
    private(set) var serverEvents: [DTLSEvent] = []
    private(set) var largestDatagram = 0

    init(
        clientProfiles: [UInt16] = DTLSContext.defaultProfiles, serverProfiles: [UInt16] = DTLSContext.defaultProfiles,
        wrongFingerprintAtClient: Bool = false, wrongFingerprintAtServer: Bool = false,
        initialRetransmissionTimeout: TimeAmount = .seconds(1)
    ) throws {
        let clientCertificate = try DTLSCertificate.generate(commonName: "client")
        let serverCertificate = try DTLSCertificate.generate(commonName: "server")
        self.clientCertificate = clientCertificate
        self.serverCertificate = serverCertificate
        client = try OpenSSLDTLSEndpoint(
            role: .client, certificate: clientCertificate,
            remoteFingerprint: wrongFingerprintAtClient
                ? DTLSTestLink.corrupted(serverCertificate.fingerprint) : serverCertificate.fingerprint,
            profiles: clientProfiles, initialRetransmissionTimeout: initialRetransmissionTimeout)
        server = try OpenSSLDTLSEndpoint(
            role: .server, certificate: serverCertificate,
            remoteFingerprint: wrongFingerprintAtServer
                ? DTLSTestLink.corrupted(clientCertificate.fingerprint) : clientCertificate.fingerprint,
            profiles: serverProfiles, initialRetransmissionTimeout: initialRetransmissionTimeout)
    }

    /// The fingerprint with its last bit flipped.
    static func corrupted(_ fingerprint: DTLSFingerprint) -> DTLSFingerprint {
        var corrupted = fingerprint
        if let last = corrupted.bytes.indices.last { corrupted.bytes[last] ^= 0x01 }
        return corrupted
    }

    func start() {
        client.start(now: now)
        server.start(now: now)
    }

    /// Moves what `sender` has queued to `receiver` (or loses it when `drop`); returns how many datagrams.
    @discardableResult
    func flush(from sender: OpenSSLDTLSEndpoint, to receiver: OpenSSLDTLSEndpoint, drop: Bool = false) -> Int {
        let datagrams = sender.takeOutgoing()
        for datagram in datagrams {
            largestDatagram = max(largestDatagram, datagram.count)
            guard !drop else { continue }
            let now = self.now
            if let event = datagram.withUnsafeBytes({ receiver.receive($0, now: now) }) {
                record(event, at: receiver)
            }
        }
        return datagrams.count
    }

    /// Calls `handleTimeout` on each endpoint whose deadline has come on the virtual clock.
    @discardableResult
    func fireDueTimers() -> Bool {
        var fired = false
        for endpoint in [client, server] {
            guard let deadline = endpoint.nextDeadline, deadline <= now else { continue }
            fired = true
            if let event = endpoint.handleTimeout(now: now) { record(event, at: endpoint) }
        }
        return fired
    }

    /// Exchanges flights until nothing moves and no timer is due.
    func run(rounds: Int = 16) {
        for _ in 0..<rounds {
            let fired = fireDueTimers()
            let moved = flush(from: client, to: server) + flush(from: server, to: client)
            if moved == 0 && !fired { return }
        }
    }

    private func record(_ event: DTLSEvent, at endpoint: OpenSSLDTLSEndpoint) {
        if endpoint === client {
            clientEvents.append(event)
        } else {
            serverEvents.append(event)
        }
    }
}

extension DTLSEvent {
    /// `connected`, `closed` or `failed(<reason>)`, for comparing event sequences.
    var kind: String {
        switch self {
        case .connected: "connected"
        case .failed(let failure): "failed(\(failure))"
        case .closed: "closed"
        }
    }

    var keyingMaterial: DTLSSRTPKeyingMaterial? {
        if case .connected(let material) = self { return material }
        return nil
    }

    var failure: DTLSFailure? {
        if case .failed(let failure) = self { return failure }
        return nil
    }
}
