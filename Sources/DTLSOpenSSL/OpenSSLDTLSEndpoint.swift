import COpenSSL
import DTLS
import NIOCore

/// A DTLS 1.2 endpoint for DTLS-SRTP (RFC 5764) on OpenSSL, sans-IO: the `SSL` reads from and writes to two
/// memory BIOs, and the owner moves datagrams between those and its socket.
///
/// Authentication is by fingerprint only (RFC 5763 section 5, RFC 8122 section 5): both sides present
/// self-signed certificates, the chain check accepts them, and when the handshake completes the peer
/// certificate's hash is compared with `remoteFingerprint`. A mismatch fails the association and queues a
/// close_notify; no keys are reported.
///
/// Timing: OpenSSL runs its retransmission timer on the wall clock (`gettimeofday`), not on the caller's clock.
/// After each call the time OpenSSL reports as left is added to the caller's `now` to give `nextDeadline`, and
/// `handleTimeout(now:)` lets OpenSSL decide whether the flight is due: with a virtual clock that runs ahead,
/// a call before OpenSSL's own time has passed only moves the deadline. The timer starts at
/// `initialRetransmissionTimeout` and doubles on each retransmission up to 60 s (RFC 6347 section 4.2.4.1);
/// OpenSSL fails the handshake (`.timedOut`) after 12 retransmissions of one flight.
///
/// Not `Sendable`: one owner calls it, on one thread at a time (OpenSSL's error queue is per thread).
public final class OpenSSLDTLSEndpoint: DTLSEndpoint {
    /// The largest datagram written (OpenSSL's MTU): under the 1280-byte IPv6 minimum with room for headers and
    /// a TURN or ICE wrapping, as browsers do.
    public static let mtu = 1200

    /// RFC 5764 section 4.2: the exporter label for SRTP keys.
    static let exporterLabel = "EXTRACTOR-dtls_srtp"

    /// The per-`SSL` slot holding the first retransmission timeout in microseconds, for `nextTimeout`.
    static let timerSlot: Int32 = parley_dtls_new_ssl_ex_index()

    private enum State {
        case handshaking
        case connected
        case failed
        case closed
    }

    public let role: DTLSRole
    public let remoteFingerprint: DTLSFingerprint
    public private(set) var nextDeadline: NIODeadline?

    /// Kept so the context's configuration is visibly alive as long as the endpoint (the `SSL` up-refs it too).
    private let context: DTLSContext
    /// The `SSL`; it owns both BIOs. Replaced only by `resetServerBeforeFirstFlight`.
    private var ssl: OpaquePointer
    /// Datagrams from the peer are written here for OpenSSL to read.
    private var readBIO: OpaquePointer
    /// OpenSSL writes its records here; `takeOutgoing` drains it.
    private var writeBIO: OpaquePointer
    /// The first retransmission timeout, kept for a replacement `SSL`.
    private let initialTimeoutMicroseconds: UInt
    /// The `EVP_MD` of the remote fingerprint's hash function.
    private let fingerprintDigest: OpaquePointer
    private var state: State = .handshaking
    private var started = false
    /// Whether a server has answered a ClientHello (written its first flight). Until then a datagram that makes
    /// OpenSSL fail (anyone can send one to an open port) costs a fresh `SSL`, not the association.
    private var serverAnsweredClientHello = false
    /// An event produced beside another one (a close_notify in the datagram that finished the handshake) or
    /// outside a call that can return one (`start`). Returned by the next `receive` or `handleTimeout`, and
    /// `nextDeadline` is `now` while it waits.
    private var pendingEvent: DTLSEvent?

    /// An endpoint with the certificate's shared context when `profiles` is the default list, else a new one.
    /// Throws `DTLSOpenSSLError`.
    public convenience init(
        role: DTLSRole, certificate: DTLSCertificate, remoteFingerprint: DTLSFingerprint,
        profiles: [UInt16] = DTLSContext.defaultProfiles, initialRetransmissionTimeout: TimeAmount = .seconds(1)
    ) throws {
        let context: DTLSContext
        if profiles == certificate.defaultContext.profiles {
            context = certificate.defaultContext
        } else {
            context = try DTLSContext(certificate: certificate, profiles: profiles)
        }
        try self.init(
            role: role, context: context, remoteFingerprint: remoteFingerprint,
            initialRetransmissionTimeout: initialRetransmissionTimeout)
    }

    /// An endpoint on a shared context. `initialRetransmissionTimeout` is clamped to 1 ms...60 s; RFC 6347
    /// section 4.2.4.1 suggests 1 s. Throws `DTLSOpenSSLError`.
    public init(
        role: DTLSRole, context: DTLSContext, remoteFingerprint: DTLSFingerprint,
        initialRetransmissionTimeout: TimeAmount = .seconds(1)
    ) throws {
        guard let fingerprintDigest = CertificateDigest.algorithm(named: remoteFingerprint.algorithm) else {
            throw DTLSOpenSSLError.unsupportedFingerprintAlgorithm(remoteFingerprint.algorithm)
        }
        let microseconds = UInt(min(max(initialRetransmissionTimeout.nanoseconds / 1_000, 1_000), 60_000_000))
        let (ssl, readBIO, writeBIO) = try OpenSSLDTLSEndpoint.makeSSL(
            context: context, role: role, initialTimeoutMicroseconds: microseconds)
        self.role = role
        self.remoteFingerprint = remoteFingerprint
        self.context = context
        self.ssl = ssl
        self.readBIO = readBIO
        self.writeBIO = writeBIO
        self.fingerprintDigest = fingerprintDigest
        self.initialTimeoutMicroseconds = microseconds
    }

    /// A new `SSL` on the context with its two memory BIOs, MTU and retransmission timer, in the role's state.
    private static func makeSSL(
        context: DTLSContext, role: DTLSRole, initialTimeoutMicroseconds: UInt
    ) throws -> (ssl: OpaquePointer, readBIO: OpaquePointer, writeBIO: OpaquePointer) {
        ERR_clear_error()
        guard let ssl = SSL_new(context.context) else {
            throw DTLSOpenSSLError.openSSL(OpenSSLErrorQueue.drain(fallback: "SSL_new failed"))
        }
        guard let readBIO = BIO_new(BIO_s_mem()) else {
            SSL_free(ssl)
            throw DTLSOpenSSLError.openSSL(OpenSSLErrorQueue.drain(fallback: "BIO_new failed"))
        }
        guard let writeBIO = BIO_new(BIO_s_mem()) else {
            _ = BIO_free(readBIO)
            SSL_free(ssl)
            throw DTLSOpenSSLError.openSSL(OpenSSLErrorQueue.drain(fallback: "BIO_new failed"))
        }
        // Reading an empty memory BIO means "nothing yet, retry" (-1), so OpenSSL wants more input rather than
        // seeing the end of the stream.
        _ = parley_dtls_bio_set_mem_eof_return(readBIO, -1)
        _ = parley_dtls_bio_set_mem_eof_return(writeBIO, -1)
        SSL_set_bio(ssl, readBIO, writeBIO)  // the SSL owns and frees both BIOs from here

        let slotValue = UnsafeMutableRawPointer(bitPattern: initialTimeoutMicroseconds)
        guard parley_dtls_set_mtu(ssl, mtu) > 0, timerSlot >= 0,
            SSL_set_ex_data(ssl, timerSlot, slotValue) == 1
        else {
            SSL_free(ssl)
            throw DTLSOpenSSLError.openSSL(OpenSSLErrorQueue.drain(fallback: "configuring the SSL failed"))
        }
        DTLS_set_timer_cb(ssl) { ssl, previous in
            OpenSSLDTLSEndpoint.nextTimeout(ssl: ssl, previous: previous)
        }
        switch role {
        case .client: SSL_set_connect_state(ssl)
        case .server: SSL_set_accept_state(ssl)
        }
        return (ssl: ssl, readBIO: readBIO, writeBIO: writeBIO)
    }

    deinit {
        SSL_free(ssl)
    }

    public var isConnected: Bool {
        if case .connected = state { return true }
        return false
    }

    public func start(now: NIODeadline) {
        guard !started else { return }
        started = true
        // A client writes its ClientHello now; a server's first step is reading one.
        if role == .client, case .handshaking = state {
            pendingEvent = continueHandshake()
        }
        updateDeadline(now: now)
    }

    public func receive(_ datagram: UnsafeRawBufferPointer, now: NIODeadline) -> DTLSEvent? {
        if let event = takePendingEvent(now: now) { return event }
        // RFC 7983 section 7: a DTLS record starts with a content type in 20...63; anything else is not ours.
        guard isActive, let first = datagram.first, (20...63).contains(first), let base = datagram.baseAddress,
            datagram.count <= Int(Int32.max)
        else { return nil }
        guard BIO_write(readBIO, base, Int32(datagram.count)) == Int32(datagram.count) else {
            discardUnreadInput()
            return nil
        }
        var event: DTLSEvent?
        switch state {
        case .handshaking:
            event = continueHandshake()
            if role == .server, !serverAnsweredClientHello {
                if case .failed = event, resetServerBeforeFirstFlight() {
                    event = nil
                } else if BIO_ctrl_pending(writeBIO) > 0 {
                    serverAnsweredClientHello = true
                }
            }
            // Records after the Finished in the same datagram (a close_notify) are still in OpenSSL's buffer.
            if case .connected = event {
                pendingEvent = readApplicationData()
            }
        case .connected:
            event = readApplicationData()
        case .failed, .closed:
            event = nil
        }
        discardUnreadInput()
        updateDeadline(now: now)
        return event
    }

    public func handleTimeout(now: NIODeadline) -> DTLSEvent? {
        if let event = takePendingEvent(now: now) { return event }
        guard isActive else {
            nextDeadline = nil
            return nil
        }
        ERR_clear_error()
        var event: DTLSEvent?
        // 1: the last flight was resent; 0: OpenSSL's timer is not due (or none runs); -1: retries spent.
        if parley_dtls_handle_timeout(ssl) < 0 {
            event = fail(.timedOut)
        }
        updateDeadline(now: now)
        return event
    }

    public func takeOutgoing() -> [[UInt8]] {
        let writeBIO = self.writeBIO
        let pending = BIO_ctrl_pending(writeBIO)
        guard pending > 0 else { return [] }
        let bytes = [UInt8](unsafeUninitializedCapacity: pending) { buffer, initializedCount in
            let read = BIO_read(writeBIO, buffer.baseAddress, Int32(clamping: buffer.count))
            initializedCount = max(0, Int(read))
        }
        return bytes.withUnsafeBytes { DTLSRecordPacker.datagrams(from: $0, maximumDatagramSize: Self.mtu) }
    }

    public func close() {
        if case .connected = state {
            ERR_clear_error()
            _ = SSL_shutdown(ssl)  // queues close_notify; the peer's answer is not awaited
        }
        if isActive { state = .closed }
        pendingEvent = nil
        nextDeadline = nil
    }

    // MARK: - Handshake

    private var isActive: Bool {
        switch state {
        case .handshaking, .connected: true
        case .failed, .closed: false
        }
    }

    private func continueHandshake() -> DTLSEvent? {
        ERR_clear_error()
        let result = SSL_do_handshake(ssl)
        if result == 1 { return completeHandshake() }
        switch SSL_get_error(ssl, result) {
        case SSL_ERROR_WANT_READ, SSL_ERROR_WANT_WRITE:
            return nil
        case SSL_ERROR_ZERO_RETURN:
            return fail(.closedByPeer)
        default:
            return fail(.handshakeFailed(OpenSSLErrorQueue.drain(fallback: "handshake failed")))
        }
    }

    /// The handshake is done: check the peer, then export the SRTP keys.
    private func completeHandshake() -> DTLSEvent? {
        // RFC 8122 section 5 / RFC 5763 section 5: the certificate must hash to the signalled fingerprint.
        guard peerMatchesFingerprint() else {
            _ = SSL_shutdown(ssl)  // close_notify, so the peer does not wait for a timeout
            return fail(.fingerprintMismatch)
        }
        // RFC 5764 section 4.1.3: with no common profile the server omits use_srtp; no SRTP without one.
        guard let profile = SSL_get_selected_srtp_profile(ssl), let id = UInt16(exactly: profile.pointee.id),
            let lengths = DTLSSRTPKeyingMaterial.keyAndSaltLength(forProfile: id)
        else {
            _ = SSL_shutdown(ssl)
            return fail(.noSRTPProfile)
        }
        // RFC 5764 section 4.2: 2 * (key + salt) bytes from the RFC 5705 exporter, no context.
        let length = 2 * (lengths.key + lengths.salt)
        var material = [UInt8](repeating: 0, count: length)
        let label = Self.exporterLabel
        guard SSL_export_keying_material(ssl, &material, length, label, label.utf8.count, nil, 0, 0) == 1 else {
            return fail(.handshakeFailed(OpenSSLErrorQueue.drain(fallback: "exporting SRTP keys failed")))
        }
        state = .connected
        return .connected(
            DTLSSRTPKeyingMaterial(protectionProfileID: id, material: material, isClient: role == .client))
    }

    /// Compares the peer certificate's digest with `remoteFingerprint` in constant time.
    private func peerMatchesFingerprint() -> Bool {
        guard let peer = SSL_get0_peer_certificate(ssl),
            let digest = CertificateDigest.digest(of: peer, algorithm: fingerprintDigest),
            !digest.isEmpty, digest.count == remoteFingerprint.bytes.count
        else { return false }
        return CRYPTO_memcmp(digest, remoteFingerprint.bytes, digest.count) == 0
    }

    /// After the handshake: lets OpenSSL process what arrived (a retransmitted final flight from the peer makes it
    /// resend its own, RFC 6347 section 4.2.4) and drops application data, which DTLS-SRTP does not carry here.
    private func readApplicationData() -> DTLSEvent? {
        ERR_clear_error()
        let ssl = self.ssl
        let result = withUnsafeTemporaryAllocation(byteCount: 2_048, alignment: 1) { scratch -> Int32 in
            var count: Int32 = 1
            while count > 0 {
                count = SSL_read(ssl, scratch.baseAddress, Int32(scratch.count))
            }
            return count
        }
        switch SSL_get_error(ssl, result) {
        case SSL_ERROR_WANT_READ, SSL_ERROR_WANT_WRITE:
            return nil
        case SSL_ERROR_ZERO_RETURN:
            // RFC 5246 section 7.2.1: answer close_notify with close_notify.
            _ = SSL_shutdown(ssl)
            state = .closed
            return .closed
        default:
            return fail(.handshakeFailed(OpenSSLErrorQueue.drain(fallback: "the association failed")))
        }
    }

    private func fail(_ failure: DTLSFailure) -> DTLSEvent {
        ERR_clear_error()
        state = .failed
        return .failed(failure)
    }

    // MARK: - Plumbing

    /// A server that has not answered any ClientHello drops the `SSL` a bad datagram killed (and the alert it
    /// queued) for a fresh one, so stray or spoofed datagrams cannot end the association before it starts.
    /// RFC 6347 section 4.1.2.7 asks for invalid records to be dropped; OpenSSL instead fails on a well-framed
    /// record it cannot use (a bogus alert, epoch-0 application data, a malformed handshake message).
    /// False when no replacement could be made.
    private func resetServerBeforeFirstFlight() -> Bool {
        guard
            let fresh = try? Self.makeSSL(
                context: context, role: role, initialTimeoutMicroseconds: initialTimeoutMicroseconds)
        else { return false }
        SSL_free(ssl)
        ssl = fresh.ssl
        readBIO = fresh.readBIO
        writeBIO = fresh.writeBIO
        state = .handshaking
        ERR_clear_error()
        return true
    }

    private func takePendingEvent(now: NIODeadline) -> DTLSEvent? {
        guard let event = pendingEvent else { return nil }
        pendingEvent = nil
        updateDeadline(now: now)
        return event
    }

    /// OpenSSL reads a whole datagram at once; should it stop short, the rest must not prefix the next one.
    private func discardUnreadInput() {
        if BIO_ctrl_pending(readBIO) > 0 {
            _ = BIO_ctrl(readBIO, BIO_CTRL_RESET, 0, nil)
        }
    }

    private func updateDeadline(now: NIODeadline) {
        if pendingEvent != nil {
            nextDeadline = now
            return
        }
        guard isActive else {
            nextDeadline = nil
            return
        }
        var remaining: Int64 = 0
        if parley_dtls_get_timeout_us(ssl, &remaining) == 1 {
            nextDeadline = now + .microseconds(max(0, remaining))
        } else {
            nextDeadline = nil
        }
    }

    /// OpenSSL's `DTLS_timer_cb`: the first timeout (`previous` is 0) comes from the `SSL`'s slot, each later one
    /// doubles up to 60 s (RFC 6347 section 4.2.4.1).
    static func nextTimeout(ssl: OpaquePointer?, previous: UInt32) -> UInt32 {
        let maximum: UInt32 = 60_000_000
        guard previous > 0 else {
            let initial = UInt(bitPattern: SSL_get_ex_data(ssl, timerSlot))
            return initial == 0 ? 1_000_000 : UInt32(clamping: initial)
        }
        return previous >= maximum / 2 ? maximum : previous &* 2
    }
}
