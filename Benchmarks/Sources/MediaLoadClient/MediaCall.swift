import DTLS
import DTLSOpenSSL
import ICELite
import NIOCore
import RTP
import SDP
import SRTP
import STUN

/// Which of a call's two client sockets.
enum MediaSide: Sendable {
    /// Plays the browser: ICE checks, DTLS client, SRTP.
    case web
    /// Plays the phone: plain RTP.
    case device
}

/// One call's media on the client, touched only on the engine's loop (not Sendable). The web socket
/// behaves as a browser facing an ICE-lite peer: a controlling full agent's check with USE-CANDIDATE
/// (RFC 8445 sections 7.2.4 and 8.1.1), then the DTLS client (Parley answered `a=setup:passive`, RFC
/// 8842 section 5.3), SRTP from the exported keys (RFC 5764 section 4.2), consent checks every 5 s (RFC
/// 7675). The device socket sends and receives plain RTP. Packets are built into the buffer that goes
/// to the socket; codecs were run once at start (ToneFrames).
final class MediaCall {
    enum Phase: Equatable {
        /// Sockets open; signalling not finished.
        case bound
        /// The nominating check is out; waiting for its success response.
        case checking
        /// The DTLS client runs.
        case handshaking
        case media
        case failed
        case closed
    }

    /// RFC 8445 section 14.3 paces checks at 50 ms or more; one call checks alone, so 100 ms.
    static let checkInterval = TimeAmount.milliseconds(100)
    static let maxChecks = 50
    /// RFC 7675 section 5.1: a consent check every 5 s on average.
    static let consentInterval = TimeAmount.seconds(5)
    /// From the first check to SRTP keys.
    static let setupTimeout = TimeAmount.seconds(15)
    /// RFC 8445 section 7.1.1: PRIORITY is that of a peer-reflexive candidate (type preference 110).
    static let checkPriority = ICECandidate.priority(typePreference: 110, localPreference: 65_535, component: 1)
    /// Room after the payload for the SRTP authentication tag (16 covers every profile).
    static let tagRoom = 16

    let index: Int
    let certificate: DTLSCertificate
    let frames: ToneFrames
    /// Decrypt one SRTP packet from Parley in this many (0: none).
    let verifyEvery: Int
    var webChannel: (any Channel)?
    var deviceChannel: (any Channel)?
    private(set) var phase = Phase.bound
    /// Why the call failed; `failedDuringMedia` when it had carried media before.
    private(set) var failure: String?
    private(set) var failedDuringMedia = false

    private var plan: CallMediaPlan?
    private var connected: EventLoopPromise<Void>?
    private var setupDeadline = NIODeadline.distantFuture

    // ICE
    private var pendingCheck: STUNTransactionID?
    private var nextCheckAt = NIODeadline.distantFuture
    private var checksSent = 0
    private var nextConsentAt = NIODeadline.distantFuture
    private let tieBreaker = UInt64.random(in: 1...UInt64.max)
    private var generator = SystemRandomNumberGenerator()

    // DTLS-SRTP
    private var dtls: OpenSSLDTLSEndpoint?
    private var outbound: SRTPContext?
    private var inbound: SRTPContext?

    // RTP sources (RFC 3550 section 5.1: random initial sequence number and timestamp)
    private let deviceSSRC = UInt32.random(in: 1...UInt32.max)
    private var webSequence = UInt16.random(in: 0...UInt16.max)
    private var webTimestamp = UInt32.random(in: 0...UInt32.max)
    private var deviceSequence = UInt16.random(in: 0...UInt16.max)
    private var deviceTimestamp = UInt32.random(in: 0...UInt32.max)
    private var framesSent = 0

    // Counters
    private(set) var webToDevice = DirectionCounters()
    private(set) var deviceToWeb = DirectionCounters()
    private var lastSequenceOnWeb: UInt16?
    private var lastSequenceOnDevice: UInt16?
    private var srtpPacketsSeen = 0
    private(set) var srtpChecked = 0
    private(set) var srtpCheckFailures = 0
    private(set) var consentChecksSent = 0
    private(set) var consentChecksAnswered = 0
    /// A copy of a sampled SRTP packet is decrypted here, not in the received buffer.
    private let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 2_048, alignment: 16)

    init(index: Int, certificate: DTLSCertificate, frames: ToneFrames, verifyEvery: Int) {
        self.index = index
        self.certificate = certificate
        self.frames = frames
        self.verifyEvery = verifyEvery
    }

    deinit {
        scratch.deallocate()
    }

    // MARK: Set-up

    /// Signalling is done: check, handshake, then media. `connected` succeeds with the SRTP keys, or fails.
    func start(plan: CallMediaPlan, connected promise: EventLoopPromise<Void>, now: NIODeadline) {
        guard phase == .bound else {
            promise.fail(MediaLoadError("call \(index): media started twice"))
            return
        }
        self.plan = plan
        connected = promise
        setupDeadline = now + Self.setupTimeout
        phase = .checking
        sendCheck(nominate: true, now: now)
    }

    /// A Binding request as a controlling full agent sends it (RFC 8445 section 7.2.4): USERNAME
    /// "parley:ours", PRIORITY, ICE-CONTROLLING, USE-CANDIDATE when nominating, MESSAGE-INTEGRITY with
    /// Parley's password, FINGERPRINT. A retransmission keeps the transaction ID (RFC 8489 section 6.2.1).
    private func sendCheck(nominate: Bool, now: NIODeadline) {
        guard let plan, let channel = webChannel else { return }
        let retransmission = phase == .checking ? pendingCheck : nil
        let transaction = retransmission ?? STUNTransactionID.random(using: &generator)
        var builder = STUNMessageBuilder(method: STUNMethod.binding, messageClass: .request, transactionID: transaction)
        builder.append(username: "\(plan.parleyICE.ufrag):\(plan.localICE.ufrag)")
        builder.appendPriority(Self.checkPriority)
        builder.appendICEControlling(tieBreaker)
        if nominate { builder.appendUseCandidate() }
        builder.appendMessageIntegrity(key: Array(plan.parleyICE.password.utf8))
        builder.appendFingerprint()
        pendingCheck = transaction
        checksSent += 1
        nextCheckAt = now + Self.checkInterval
        send(builder.finish(), to: plan.parleyWeb, on: channel)
    }

    private func startDTLS(now: NIODeadline) {
        guard let plan else { return }
        do {
            let endpoint = try OpenSSLDTLSEndpoint(
                role: .client, certificate: certificate, remoteFingerprint: plan.parleyFingerprint)
            dtls = endpoint
            phase = .handshaking
            endpoint.start(now: now)
            flushDTLS()
        } catch {
            fail("DTLS endpoint not created: \(error)")
        }
    }

    private func handle(_ event: DTLSEvent, now: NIODeadline) {
        switch event {
        case .connected(let keying):
            guard let profile = SRTPProfile(dtlsProfileID: keying.protectionProfileID),
                let keys = SRTPKeyingMaterial.split(keying.material, profile: profile, isDTLSClient: keying.isClient)
            else {
                fail("no SRTP keys for DTLS profile \(keying.protectionProfileID)")
                return
            }
            do {
                outbound = try SRTPContext(profile: profile, masterKey: keys.local)
                inbound = try SRTPContext(profile: profile, masterKey: keys.remote)
            } catch {
                fail("SRTP contexts not created: \(error)")
                return
            }
            phase = .media
            nextConsentAt = now + Self.consentInterval
            connected?.succeed(())
            connected = nil
        case .failed(let reason):
            fail("DTLS failed: \(reason)")
        case .closed:
            fail("Parley closed the DTLS association")
        }
    }

    private func fail(_ reason: String) {
        guard phase != .failed, phase != .closed else { return }
        failedDuringMedia = phase == .media
        phase = .failed
        failure = reason
        connected?.fail(MediaLoadError("call \(index): \(reason)"))
        connected = nil
    }

    // MARK: The 20 ms tick

    /// Called by the engine's one repeated task for every call: check and DTLS timers while setting up,
    /// one packet each way and the consent check during media.
    func tick(now: NIODeadline, sending: Bool) {
        switch phase {
        case .checking:
            if now >= setupDeadline {
                fail("no STUN answer from Parley in \(Self.setupTimeout.nanoseconds / 1_000_000_000) s")
            } else if now >= nextCheckAt {
                if checksSent >= Self.maxChecks {
                    fail("\(checksSent) STUN checks unanswered")
                } else {
                    sendCheck(nominate: true, now: now)
                }
            }
        case .handshaking:
            if now >= setupDeadline {
                fail("DTLS handshake not done in \(Self.setupTimeout.nanoseconds / 1_000_000_000) s")
                return
            }
            if let dtls, let deadline = dtls.nextDeadline, deadline <= now {
                let event = dtls.handleTimeout(now: now)
                flushDTLS()
                if let event { handle(event, now: now) }
            }
        case .media:
            if sending { sendMedia() }
            if now >= nextConsentAt {
                consentChecksSent += 1
                nextConsentAt = now + Self.consentInterval
                sendCheck(nominate: false, now: now)
            }
        case .bound, .failed, .closed:
            break
        }
    }

    /// One 20 ms frame each way: SRTP from the web socket, plain RTP from the device socket.
    private func sendMedia() {
        guard let plan, let web = webChannel, let device = deviceChannel, let outbound else { return }
        let frame = framesSent % ToneFrames.framesPerCycle
        framesSent += 1

        let webPayload: [UInt8]
        let webClockTicks: UInt32
        switch plan.webCodec {
        case .opus:
            webPayload = frames.webOpus[frame]
            webClockTicks = 960  // RFC 7587 section 4.1: 48 kHz clock
        case .pcmu:
            webPayload = frames.webPCMU[frame]
            webClockTicks = 160
        }
        var webBuffer = web.allocator.buffer(capacity: RTPHeaderWriter.headerLength + webPayload.count + Self.tagRoom)
        let webHeader = (plan.webPayloadType, webSequence, webTimestamp, plan.webSSRC)
        let webLength = webBuffer.writeWithUnsafeMutableBytes(
            minimumWritableBytes: RTPHeaderWriter.headerLength + webPayload.count + Self.tagRoom
        ) { packet -> Int in
            let plain = Self.writeRTP(
                into: packet, payloadType: webHeader.0, sequence: webHeader.1, timestamp: webHeader.2,
                ssrc: webHeader.3, payload: webPayload)
            guard plain > 0 else { return 0 }
            return (try? outbound.protectRTP(packet, length: plain)) ?? 0
        }
        if webLength > 0 {
            web.writeAndFlush(AddressedEnvelope(remoteAddress: plan.parleyWeb, data: webBuffer), promise: nil)
            webToDevice.packetsSent += 1
            webToDevice.bytesSent += webLength
        }
        webSequence &+= 1
        webTimestamp &+= webClockTicks

        let devicePayload = frames.devicePCMU[frame]
        var deviceBuffer = device.allocator.buffer(capacity: RTPHeaderWriter.headerLength + devicePayload.count)
        let deviceHeader = (plan.devicePayloadType, deviceSequence, deviceTimestamp, deviceSSRC)
        let deviceLength = deviceBuffer.writeWithUnsafeMutableBytes(
            minimumWritableBytes: RTPHeaderWriter.headerLength + devicePayload.count
        ) { packet -> Int in
            Self.writeRTP(
                into: packet, payloadType: deviceHeader.0, sequence: deviceHeader.1, timestamp: deviceHeader.2,
                ssrc: deviceHeader.3, payload: devicePayload)
        }
        if deviceLength > 0 {
            device.writeAndFlush(AddressedEnvelope(remoteAddress: plan.parleyDevice, data: deviceBuffer), promise: nil)
            deviceToWeb.packetsSent += 1
            deviceToWeb.bytesSent += deviceLength
        }
        deviceSequence &+= 1
        deviceTimestamp &+= 160
    }

    /// A 12-byte RTP header (RFC 3550 section 5.1) and the payload; the packet's length, 0 if it does not fit.
    private static func writeRTP(
        into packet: UnsafeMutableRawBufferPointer, payloadType: UInt8, sequence: UInt16, timestamp: UInt32,
        ssrc: UInt32, payload: [UInt8]
    ) -> Int {
        let header = RTPHeaderWriter.write(
            into: packet, payloadType: payloadType, marker: false, sequenceNumber: sequence, timestamp: timestamp,
            ssrc: ssrc)
        guard header > 0, packet.count >= header + payload.count else { return 0 }
        payload.withUnsafeBytes { source in
            UnsafeMutableRawBufferPointer(rebasing: packet[header..<(header + source.count)]).copyMemory(from: source)
        }
        return header + payload.count
    }

    // MARK: Receiving

    func receive(_ buffer: ByteBuffer, on side: MediaSide) {
        buffer.withUnsafeReadableBytes { bytes in
            switch side {
            case .web: receiveOnWeb(bytes)
            case .device: receiveOnDevice(bytes)
            }
        }
    }

    /// RFC 7983 section 7: STUN, DTLS and SRTP share the web port; told apart by the first byte.
    private func receiveOnWeb(_ bytes: UnsafeRawBufferPointer) {
        switch DatagramClass.classify(bytes) {
        case .rtp:
            guard phase == .media else { return }
            Self.count(bytes, into: &deviceToWeb, last: &lastSequenceOnWeb)
            verifySample(bytes)
        case .stun:
            receiveSTUN(bytes, now: .now())
        case .dtls:
            guard let dtls else { return }
            let now = NIODeadline.now()
            let event = dtls.receive(bytes, now: now)
            flushDTLS()
            if let event { handle(event, now: now) }
        case .rtcp, .unknown:
            break  // SRTCP reports from Parley are not counted
        }
    }

    private func receiveOnDevice(_ bytes: UnsafeRawBufferPointer) {
        guard phase == .media, DatagramClass.classify(bytes) == .rtp else { return }
        Self.count(bytes, into: &webToDevice, last: &lastSequenceOnDevice)
    }

    private func receiveSTUN(_ bytes: UnsafeRawBufferPointer, now: NIODeadline) {
        guard let message = STUNMessageView(bytes), let pending = pendingCheck, message.transactionID == pending
        else { return }
        pendingCheck = nil
        switch message.messageClass {
        case .successResponse:
            if phase == .checking {
                startDTLS(now: now)
            } else if phase == .media {
                consentChecksAnswered += 1
            }
        case .errorResponse:
            if phase == .checking { fail("STUN check answered with error \(message.errorCode ?? 0)") }
        case .request, .indication:
            break
        }
    }

    /// Counts an RTP packet and the sequence numbers skipped before it (RFC 3550 appendix A.1: a
    /// duplicate or an older packet moves nothing).
    private static func count(
        _ bytes: UnsafeRawBufferPointer, into counters: inout DirectionCounters, last: inout UInt16?
    ) {
        counters.packetsReceived += 1
        counters.bytesReceived += bytes.count
        let sequence = UInt16(bigEndian: bytes.loadUnaligned(fromByteOffset: 2, as: UInt16.self))
        if let previous = last {
            let step = sequence &- previous
            guard step != 0, step < 0x8000 else { return }
            counters.sequenceGaps += Int(step) - 1
        }
        last = sequence
    }

    /// Decrypts a copy of one SRTP packet in `verifyEvery`: proves the keys and Parley's protection.
    private func verifySample(_ bytes: UnsafeRawBufferPointer) {
        guard verifyEvery > 0, let inbound else { return }
        srtpPacketsSeen += 1
        guard (srtpPacketsSeen - 1) % verifyEvery == 0, bytes.count <= scratch.count else { return }
        scratch.copyMemory(from: bytes)
        do {
            _ = try inbound.unprotectRTP(scratch, length: bytes.count)
            srtpChecked += 1
        } catch {
            srtpCheckFailures += 1
        }
    }

    // MARK: Plumbing

    private func flushDTLS() {
        guard let dtls, let plan, let channel = webChannel else { return }
        for datagram in dtls.takeOutgoing() { send(datagram, to: plan.parleyWeb, on: channel) }
    }

    private func send(_ bytes: [UInt8], to address: SocketAddress, on channel: any Channel) {
        let buffer = channel.allocator.buffer(bytes: bytes)
        channel.writeAndFlush(AddressedEnvelope(remoteAddress: address, data: buffer), promise: nil)
    }

    /// Sends close_notify when connected and closes both sockets.
    func close(on loop: any EventLoop) -> EventLoopFuture<Void> {
        if phase == .media || phase == .handshaking, let dtls {
            dtls.close()
            flushDTLS()
        }
        if phase != .failed { phase = .closed }
        connected?.fail(MediaLoadError("call \(index): closed before media"))
        connected = nil
        let closes = [webChannel, deviceChannel].compactMap { $0?.close() }
        webChannel = nil
        deviceChannel = nil
        return EventLoopFuture.andAllComplete(closes, on: loop)
    }
}
