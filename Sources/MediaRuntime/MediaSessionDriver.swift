import DTLS
import DTLSOpenSSL
import ICELite
import Logging
import MediaSession
import NIOCore
import NIOPosix

/// Runs one BridgeSession on its event loop (DESIGN.md: a call's session and its sockets live on one
/// loop, no per-packet hops): feeds it the datagrams of its two sockets and the loop's 20 ms tick, and
/// writes what it sends. Created by MediaBridge on the SIP loop, then touched only on `eventLoop`.
final class MediaSessionDriver {
    let eventLoop: any EventLoop
    let ticker: MediaTicker
    let session: BridgeSession
    let certificate: DTLSCertificate
    let logger: Logger
    /// Ends the session after this long without a packet from either leg once media has flowed.
    let idleTimeout: TimeAmount
    /// Told (on this loop) when the session ends by itself: idle, DTLS failure, consent lost.
    let onEnded: @Sendable (MediaFailure?) -> Void
    private var webChannel: (any Channel)?
    private var deviceChannel: (any Channel)?
    private var webNeedsFlush = false
    private var deviceNeedsFlush = false
    private var isClosed = false
    private var reportedFailure = false
    private let startedAt: NIODeadline

    /// Longer than Timer C (181 s), so a call still ringing keeps its ports.
    static let unansweredLimit = TimeAmount.seconds(200)

    init(
        eventLoop: any EventLoop, ticker: MediaTicker, settings: BridgeSettings, webCredentials: ICECredentials,
        webSSRC: UInt32, certificate: DTLSCertificate, idleTimeout: TimeAmount, logger: Logger,
        onEnded: @escaping @Sendable (MediaFailure?) -> Void
    ) {
        self.eventLoop = eventLoop
        self.ticker = ticker
        self.certificate = certificate
        self.idleTimeout = idleTimeout
        self.logger = logger
        self.onEnded = onEnded
        var generator = SystemRandomNumberGenerator()
        session = BridgeSession(settings: settings, webCredentials: webCredentials, webSSRC: webSSRC, using: &generator)
        startedAt = .now()
    }

    /// Registers the two already-bound sockets with the loop and joins the ticker.
    func attach(webDescriptor: CInt, deviceDescriptor: CInt) -> EventLoopFuture<Void> {
        let loopBound = NIOLoopBound(self, eventLoop: eventLoop)
        let web = DatagramBootstrap(group: eventLoop)
            .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: 2048))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        MediaDatagramHandler(driver: loopBound.value, side: .web))
                }
            }
            .withBoundSocket(webDescriptor)
        let device = DatagramBootstrap(group: eventLoop)
            .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: 2048))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        MediaDatagramHandler(driver: loopBound.value, side: .device))
                }
            }
            .withBoundSocket(deviceDescriptor)
        // If one side fails, the other channel is closed through NIO (which owns both descriptors now).
        web.and(device).whenFailure { _ in
            web.whenSuccess { $0.close(promise: nil) }
            device.whenSuccess { $0.close(promise: nil) }
        }
        return web.and(device).map { webChannel, deviceChannel in
            let driver = loopBound.value
            driver.webChannel = webChannel
            driver.deviceChannel = deviceChannel
            if driver.isClosed {
                webChannel.close(promise: nil)
                deviceChannel.close(promise: nil)
            } else {
                driver.ticker.add(driver)
            }
        }
    }

    // MARK: Configuration (from MediaBridge, hopped onto this loop)

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

    func receive(_ buffer: inout ByteBuffer, from source: SocketAddress, on side: MediaLegSide) {
        guard !isClosed else { return }
        let now = NIODeadline.now()
        buffer.withUnsafeMutableReadableBytes { bytes in
            session.receive(bytes, length: bytes.count, from: source, on: side, now: now) { leg, address, datagram in
                self.write(datagram, to: address, on: leg)
            }
        }
    }

    func tick(now: NIODeadline, ntpTimestamp: UInt64) {
        guard !isClosed else { return }
        session.tick(now: now, ntpTimestamp: ntpTimestamp) { leg, address, datagram in
            self.write(datagram, to: address, on: leg)
        }
        flush()
        if let failure = session.failure, !reportedFailure {
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
        if idle, !reportedFailure {
            reportedFailure = true
            logger.info("media idle, session ends")
            onEnded(nil)
        }
    }

    private func write(_ datagram: UnsafeRawBufferPointer, to address: SocketAddress, on leg: MediaLegSide) {
        guard let channel = leg == .web ? webChannel : deviceChannel else { return }
        let buffer = channel.allocator.buffer(bytes: datagram)
        channel.write(AddressedEnvelope(remoteAddress: address, data: buffer), promise: nil)
        if leg == .web { webNeedsFlush = true } else { deviceNeedsFlush = true }
    }

    func flush() {
        if webNeedsFlush { webChannel?.flush() }
        if deviceNeedsFlush { deviceChannel?.flush() }
        webNeedsFlush = false
        deviceNeedsFlush = false
    }

    /// Closes both sockets; the future completes when they are closed (and their ports reusable).
    func close() -> EventLoopFuture<Void> {
        guard !isClosed else { return eventLoop.makeSucceededVoidFuture() }
        isClosed = true
        ticker.remove(self)
        let closes = [webChannel, deviceChannel].compactMap { $0?.close() }
        return EventLoopFuture.andAllComplete(closes, on: eventLoop)
    }
}
