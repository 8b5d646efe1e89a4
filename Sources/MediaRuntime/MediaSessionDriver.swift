#if canImport(Glibc)
import Glibc
#endif
import DTLS
import DTLSOpenSSL
import ICELite
import Logging
import MediaSession
import NIOCore

/// Runs one BridgeSession on its media thread: feeds it the datagrams of its two sockets and the 20 ms
/// tick, and sends what it sends straight from those sockets. Made and touched only on `loop`'s thread.
final class MediaSessionDriver {
    /// Longer than Timer C (181 s), so a call still ringing keeps its ports.
    static let unansweredLimit = TimeAmount.seconds(200)

    let loop: MediaIOLoop
    let session: BridgeSession
    let certificate: DTLSCertificate
    let logger: Logger
    /// Ends the session after this long without a packet from either leg once it has seen one.
    let idleTimeout: TimeAmount
    /// Told (on this thread) when the session ends by itself: idle, DTLS failure, consent lost.
    let onEnded: @Sendable (MediaFailure?) -> Void
    private let webDescriptor: CInt
    private let deviceDescriptor: CInt
    private var isClosed = false
    private var reportedFailure = false
    private let startedAt = NIODeadline.now()

    init(
        loop: MediaIOLoop, settings: BridgeSettings, webCredentials: ICECredentials, webSSRC: UInt32,
        certificate: DTLSCertificate, webDescriptor: CInt, deviceDescriptor: CInt, idleTimeout: TimeAmount,
        logger: Logger, onEnded: @escaping @Sendable (MediaFailure?) -> Void
    ) {
        self.loop = loop
        self.certificate = certificate
        self.webDescriptor = webDescriptor
        self.deviceDescriptor = deviceDescriptor
        self.idleTimeout = idleTimeout
        self.logger = logger
        self.onEnded = onEnded
        var generator = SystemRandomNumberGenerator()
        session = BridgeSession(settings: settings, webCredentials: webCredentials, webSSRC: webSSRC, using: &generator)
    }

    /// Watches both sockets and joins the loop's tick; false (sockets closed) when epoll refuses them.
    func attach() -> Bool {
        guard loop.watch(webDescriptor, driver: self, side: .web), loop.watch(deviceDescriptor, driver: self, side: .device)
        else {
            close()
            return false
        }
        loop.startTicking(self)
        return true
    }

    // MARK: Configuration (from MediaBridge, hopped onto this thread)

    func configureWeb(
        remoteICE: ICECredentials, dtlsRole: DTLSRole?, remoteFingerprint: DTLSFingerprint?, codecs: LegCodecs
    ) {
        var endpoint: (any DTLSEndpoint)?
        if let dtlsRole, let remoteFingerprint, !session.hasDTLSEndpoint {
            do {
                endpoint = try OpenSSLDTLSEndpoint(
                    role: dtlsRole, certificate: certificate, remoteFingerprint: remoteFingerprint)
            } catch {
                logger.warning("DTLS endpoint failed", metadata: ["error": "\(error)"])
            }
        }
        do {
            try session.configureWeb(remoteICE: remoteICE, dtls: endpoint, codecs: codecs, now: .now())
        } catch {
            logger.warning("web leg not configured", metadata: ["error": "\(error)"])
        }
    }

    func configureDevice(
        address: SocketAddress?, rtcpAddress: SocketAddress?, allowedSources: Set<String>, codecs: LegCodecs
    ) {
        do {
            try session.configureDevice(
                address: address, rtcpAddress: rtcpAddress, allowedSources: allowedSources, codecs: codecs)
        } catch {
            logger.warning("device leg not configured", metadata: ["error": "\(error)"])
        }
    }

    func restartICE(local: ICECredentials, remote: ICECredentials) {
        session.restartICE(local: local, remote: remote)
    }

    // MARK: Packets

    func receive(_ buffer: UnsafeMutableRawBufferPointer, length: Int, from source: SocketAddress, on side: MediaLegSide) {
        guard !isClosed else { return }
        session.receive(buffer, length: length, from: source, on: side, now: .now()) { leg, address, datagram in
            self.send(datagram, to: address, on: leg)
        }
    }

    func tick(now: NIODeadline, ntpTimestamp: UInt64) {
        guard !isClosed else { return }
        session.tick(now: now, ntpTimestamp: ntpTimestamp) { leg, address, datagram in
            self.send(datagram, to: address, on: leg)
        }
        guard !reportedFailure else { return }
        if let failure = session.failure {
            reportedFailure = true
            logger.info("media failed", metadata: ["media.failure": "\(failure)"])
            onEnded(failure)
            return
        }
        // Idle counts from the last packet (media, RTCP or an ICE check); a call never answered is
        // given more than Timer C (RFC 3261 section 16.6: over three minutes of ringing).
        let idle: Bool
        if let lastActivity = session.lastActivity {
            idle = now - lastActivity > idleTimeout
        } else {
            idle = now - startedAt > Self.unansweredLimit
        }
        if idle {
            reportedFailure = true
            logger.info("media idle, session ends")
            onEnded(nil)
        }
    }

    /// A datagram from one of the session's own sockets (so the peer sees the port in the SDP). A full
    /// socket buffer drops the packet, as the network would.
    private func send(_ datagram: UnsafeRawBufferPointer, to address: SocketAddress, on leg: MediaLegSide) {
        let descriptor = leg == .web ? webDescriptor : deviceDescriptor
        address.withSockAddr { pointer, size in
            _ = sendto(descriptor, datagram.baseAddress, datagram.count, Int32(MSG_DONTWAIT), pointer, socklen_t(size))
        }
    }

    /// Leaves the tick and closes both sockets (their ports can be handed out again at once).
    func close() {
        guard !isClosed else { return }
        isClosed = true
        loop.stopTicking(self)
        loop.closeSocket(webDescriptor)
        loop.closeSocket(deviceDescriptor)
    }
}
