import DTLS
import DTLSOpenSSL
import ICELite
import Logging
import MediaSession
import NIOCore
import SDP
import SIPServices

/// The media anchor of the proxy (SIPServices.MediaAnchor), the rtpengine model in-process: one
/// session per call branch between a browser's WebRTC leg and a device's plain RTP leg. SDP work is done
/// here, synchronously, on the SIP loop; the media runs on the media loops, one session per loop, and
/// is configured by hops that keep their order (EventLoop.execute is FIFO).
public final class MediaBridge: MediaAnchor {
    let settings: MediaBridgeSettings
    let sipLoop: any EventLoop
    let loops: [MediaIOLoop]
    let certificate: DTLSCertificate
    let pool: MediaPortPool
    let logger: Logger
    var calls: [MediaAnchorKey: AnchoredCall] = [:]
    var keysByID: [UInt64: MediaAnchorKey] = [:]
    private var nextID: UInt64 = 1
    private var nextLoop = 0
    private var generator = SystemRandomNumberGenerator()

    /// Made on the SIP loop, with the media threads already running (`MediaIOLoops.start(count:)`).
    public init(
        settings: MediaBridgeSettings, sipLoop: any EventLoop, mediaLoops: MediaIOLoops,
        certificate: DTLSCertificate, logger: Logger
    ) {
        self.settings = settings
        self.sipLoop = sipLoop
        loops = mediaLoops.loops
        self.certificate = certificate
        self.logger = logger
        pool = MediaPortPool(host: settings.mediaIP, range: settings.ports)
    }

    public var activeSessionCount: Int { calls.count }
    public var allocatedPortCount: Int { pool.allocatedCount }

    // MARK: MediaAnchor

    public func offer(
        _ sdp: String, key: MediaAnchorKey, from: MediaLegKind, isInitial: Bool, signallingHost: String
    ) -> MediaAnchorResult {
        let description: SessionDescription
        do {
            description = try SessionDescription.parse(sdp)
        } catch {
            return .rejected("malformed SDP: \(error)")
        }
        // What the offering leg speaks decides, not only its transport: a SIP-over-WebSocket client with
        // plain RTP, or a device with DTLS-SRTP, talks to the other side directly.
        let offered: AnchoredCall.PendingOffer
        do {
            switch from {
            case .web: offered = .fromWeb(try WebRTCMediaParameters(parsing: description))
            case .device: offered = .fromDevice(try DeviceMediaParameters(parsing: description))
            }
        } catch {
            switch error {
            // Inside an anchored dialog a peer cannot switch to what the other side cannot take.
            case .unsupportedProfile, .noAudio: return isInitial && calls[key] == nil ? .unchanged : .rejected(error.reason)
            default: return .rejected(error.reason)
            }
        }
        var call: AnchoredCall
        if let existing = calls[key] {
            call = existing
        } else if !isInitial {
            // The session of this dialog ended by itself; a new one would have a new DTLS association
            // the browser does not expect (and a new o= session, RFC 3264 section 8).
            return .rejected("the media session of this call has ended")
        } else if let created = createCall(key: key) {
            call = created
        } else {
            return .rejected("no media ports free")
        }
        let text: String
        switch offered {
        case .fromWeb(let remote):
            if let previous = call.lastWeb, remote.isICERestart(comparedTo: previous) {
                // RFC 8445 section 9: an ICE restart changes both sides' credentials.
                call.localICE = ICECredentials.random(using: &generator)
                let local = call.localICE
                let remoteICE = ICECredentials(ufrag: remote.iceUfrag, password: remote.icePwd)
                onDriver(call) { $0.restartICE(local: local, remote: remoteICE) }
            }
            call.deviceVersion += 1
            var codecs = NegotiatedCodec.defaultDeviceOffer
            if settings.codecPolicy == .preferPassThrough, let opus = remote.codecs.first(where: { $0.kind == .opus }) {
                codecs.insert(opus, at: 0)
            }
            text = DeviceDescriptionBuilder.offer(local: deviceLocal(call), codecs: codecs, direction: remote.direction)
                .serialized()
        case .fromDevice(let remote):
            call.webVersion += 1
            text = WebRTCDescriptionBuilder.offer(
                local: webLocal(call), codecs: webOfferCodecs(for: remote), direction: remote.effectiveDirection
            ).serialized()
        }
        call.pendingOffer = offered
        if from == .device { call.deviceSignallingHost = signallingHost }
        // A new offer needs a new answer, even if the peer's answer text repeats the last one.
        call.lastAnswerIn = nil
        call.lastAnswerOut = nil
        calls[key] = call
        return .rewritten(text)
    }

    public func answer(_ sdp: String, key: MediaAnchorKey, from: MediaLegKind, signallingHost: String) -> MediaAnchorResult {
        guard var call = calls[key] else { return .rejected("no media session for this call") }
        if sdp == call.lastAnswerIn, let out = call.lastAnswerOut { return .rewritten(out) }
        let description: SessionDescription
        do {
            description = try SessionDescription.parse(sdp)
        } catch {
            return .rejected("malformed SDP: \(error)")
        }
        let text: String
        do {
            switch (from, call.pendingOffer) {
            case (.device, .fromWeb(let webOffer)?):
                let answer = try DeviceMediaParameters(parsing: description)
                guard let choice = CodecPlan.choose(web: webOffer.codecs, device: answer.codecs, policy: settings.codecPolicy)
                else { return .rejected("no codec both legs can use") }
                call.deviceSignallingHost = signallingHost
                // RFC 8842 section 5.5: an established DTLS association keeps its roles across re-offers.
                let setup: SetupRole? = call.dtlsRole.map { $0 == .client ? .active : .passive }
                call.dtlsRole = configure(call, web: webOffer, device: answer, choice: choice, webIsOfferer: true)
                call.lastWeb = webOffer
                call.webVersion += 1
                text = WebRTCDescriptionBuilder.answer(
                    to: webOffer, local: webLocal(call), codec: choice.webCodec,
                    telephoneEvent: choice.webTelephoneEvent, direction: answer.effectiveDirection, setup: setup
                ).serialized()
            case (.web, .fromDevice(let deviceOffer)?):
                let answer = try WebRTCMediaParameters(parsing: description)
                guard let choice = CodecPlan.choose(web: answer.codecs, device: deviceOffer.codecs, policy: settings.codecPolicy)
                else { return .rejected("no codec both legs can use") }
                call.dtlsRole = configure(call, web: answer, device: deviceOffer, choice: choice, webIsOfferer: false)
                call.lastWeb = answer
                call.deviceVersion += 1
                text = DeviceDescriptionBuilder.answer(
                    to: deviceOffer, local: deviceLocal(call), codec: choice.deviceCodec,
                    telephoneEvent: choice.deviceTelephoneEvent, direction: answer.direction
                ).serialized()
            default:
                return .rejected("an answer from the leg that made the offer")
            }
        } catch {
            return .rejected(error.reason)
        }
        call.lastAnswerIn = sdp
        call.lastAnswerOut = text
        // Answered: a later answer needs a later offer (retransmissions are served from the cache).
        call.pendingOffer = nil
        calls[key] = call
        return .rewritten(text)
    }

    public func release(_ key: MediaAnchorKey) {
        guard let call = calls.removeValue(forKey: key) else { return }
        discard(call)
    }

    // MARK: Sessions

    private func createCall(key: MediaAnchorKey) -> AnchoredCall? {
        guard let web = pool.allocate() else { return nil }
        guard let device = pool.allocate() else {
            _ = MediaPortPool.closeDescriptor(web.descriptor)
            pool.release(web.port)
            return nil
        }
        let id = nextID
        nextID += 1
        let loop = loops[nextLoop % loops.count]
        nextLoop += 1
        let call = AnchoredCall(
            id: id, loop: loop, webPort: web.port, devicePort: device.port,
            localICE: ICECredentials.random(using: &generator), webSSRC: UInt32.random(in: 1...UInt32.max, using: &generator),
            sessionID: UInt64.random(in: 1...UInt64(Int64.max), using: &generator))
        keysByID[id] = key
        let credentials = call.localICE
        let ssrc = call.webSSRC
        let settings = settings
        let certificate = certificate
        let logger = logger
        let bridge = NIOLoopBound(self, eventLoop: sipLoop)
        let sipLoop = sipLoop
        var sessionLogger = logger
        sessionLogger[metadataKey: "media.session"] = "\(key)"
        let driverLogger = sessionLogger
        loop.execute {
            let driver = MediaSessionDriver(
                loop: loop, settings: settings.session, webCredentials: credentials, webSSRC: ssrc,
                certificate: certificate, webDescriptor: web.descriptor, deviceDescriptor: device.descriptor,
                idleTimeout: settings.idleTimeout, logger: driverLogger,
                onEnded: { failure in
                    sipLoop.execute { bridge.value.sessionEnded(id: id, failure: failure) }
                })
            guard driver.attach() else {
                logger.warning("media sockets not watched")
                sipLoop.execute { bridge.value.sessionEnded(id: id, failure: nil) }
                return
            }
            loop.sessions[id] = driver
        }
        return call
    }

    /// Closes a session's sockets on its loop, then gives its ports back on this one.
    private func discard(_ call: AnchoredCall) {
        keysByID[call.id] = nil
        let id = call.id
        let ports = [call.webPort, call.devicePort]
        let bridge = NIOLoopBound(self, eventLoop: sipLoop)
        let sipLoop = sipLoop
        let loop = call.loop
        loop.execute {
            loop.sessions.removeValue(forKey: id)?.close()
            // The sockets are closed (or were never watched): the ports can go back.
            sipLoop.execute { for port in ports { bridge.value.pool.release(port) } }
        }
    }

    /// A session ended by itself (idle, DTLS failure, consent lost): its ports are freed; the SIP dialog
    /// is the endpoints' to end.
    func sessionEnded(id: UInt64, failure: MediaFailure?) {
        guard let key = keysByID[id] else { return }
        logger.info("media session ended", metadata: ["media.session": "\(key)", "reason": "\(failure.map { "\($0)" } ?? "idle")"])
        // The proxy still knows the dialog: a later offer in it finds no session and gets 488.
        release(key)
    }

    private func onDriver(_ call: AnchoredCall, _ body: @escaping @Sendable (MediaSessionDriver) -> Void) {
        let loop = call.loop
        let id = call.id
        loop.execute {
            guard let driver = loop.sessions[id] else { return }
            body(driver)
        }
    }

    /// Hands the negotiated parameters of both legs to the session. DTLS roles (RFC 8842 section 5.3):
    /// when the browser offered (`actpass`), Parley answers `passive` and is the DTLS server; when Parley
    /// offered `actpass`, the browser's `active` makes Parley the server, `passive` the client.
    private func configure(
        _ call: AnchoredCall, web: WebRTCMediaParameters, device: DeviceMediaParameters, choice: CodecPlan.Choice,
        webIsOfferer: Bool
    ) -> DTLSRole {
        let role: DTLSRole
        if let established = call.dtlsRole {
            role = established
        } else if webIsOfferer {
            role = web.remoteIsDTLSClient ? .server : .client
        } else {
            role = web.setupRole == .passive ? .client : .server
        }
        let fingerprint = DTLSFingerprint(web.fingerprint)
        let remoteICE = ICECredentials(ufrag: web.iceUfrag, password: web.icePwd)
        let webCodecs = LegCodecs(
            audio: choice.webCodec, telephoneEvent: choice.webTelephoneEvent, peerDirection: PeerDirection(web.direction))
        let deviceCodecs = LegCodecs(
            audio: choice.deviceCodec, telephoneEvent: choice.deviceTelephoneEvent,
            peerDirection: PeerDirection(device.effectiveDirection))
        let deviceAddress = device.isHoldByZeroAddress
            ? nil : try? SocketAddress(ipAddress: device.address, port: Int(device.port))
        // RFC 3550 section 11: without rtcp-mux, RTCP goes to the next port (or the a=rtcp one).
        let rtcpPort = device.rtcpMux ? device.port : device.rtcpPort
        let deviceRTCP = device.isHoldByZeroAddress
            ? nil : rtcpPort.flatMap { try? SocketAddress(ipAddress: device.address, port: Int($0)) }
        // Device RTP is taken from its SDP address or the host its SIP came from, and no one else.
        let sources = Set([device.address, call.deviceSignallingHost].compactMap { $0 }.filter { !$0.isEmpty })
        onDriver(call) { driver in
            driver.configureDevice(address: deviceAddress, rtcpAddress: deviceRTCP, allowedSources: sources, codecs: deviceCodecs)
            driver.configureWeb(remoteICE: remoteICE, dtlsRole: role, remoteFingerprint: fingerprint, codecs: webCodecs)
        }
        return role
    }

    private func webOfferCodecs(for device: DeviceMediaParameters) -> [NegotiatedCodec] {
        guard settings.codecPolicy == .preferPassThrough else { return NegotiatedCodec.defaultWebOffer }
        // The device's G.711 first, so the browser can pick the same codec and nothing is transcoded.
        let shared = NegotiatedCodec.defaultWebOffer.filter { codec in
            codec.kind.isG711 && device.codecs.contains { $0.kind == codec.kind }
        }
        return shared + NegotiatedCodec.defaultWebOffer.filter { !shared.contains($0) }
    }

    private func webLocal(_ call: AnchoredCall) -> LocalWebRTCParameters {
        LocalWebRTCParameters(
            address: settings.mediaIP, port: call.webPort, iceUfrag: call.localICE.ufrag, icePwd: call.localICE.password,
            fingerprintAlgorithm: certificate.fingerprint.algorithm, fingerprint: certificate.fingerprint.sdpValue,
            sessionID: call.sessionID, sessionVersion: call.webVersion, ssrc: call.webSSRC, cname: settings.session.cname)
    }

    private func deviceLocal(_ call: AnchoredCall) -> LocalDeviceParameters {
        LocalDeviceParameters(
            address: settings.mediaIP, port: call.devicePort, sessionID: call.sessionID, sessionVersion: call.deviceVersion)
    }
}
