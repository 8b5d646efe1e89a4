import DTLS
import NIOCore
import RTP
import SRTP

extension BridgeSession {
    /// A datagram that arrived on one of the session's ports. `packet` is modified in place (SRTP is
    /// decrypted where it lies); `length` is the datagram's size within it.
    public func receive(
        _ packet: UnsafeMutableRawBufferPointer, length: Int, from source: SocketAddress, on side: MediaLegSide,
        now: NIODeadline, send: MediaSend
    ) {
        guard length > 0, length <= packet.count else { return }
        let bytes = UnsafeRawBufferPointer(rebasing: packet[0..<length])
        switch side {
        case .web: receiveFromWeb(packet, length: length, bytes: bytes, from: source, now: now, send: send)
        case .device: receiveFromDevice(bytes, from: source, now: now, send: send)
        }
    }

    /// RFC 7983 demultiplexing of the browser's single port (rtcp-mux, RFC 5761).
    private func receiveFromWeb(
        _ packet: UnsafeMutableRawBufferPointer, length: Int, bytes: UnsafeRawBufferPointer, from source: SocketAddress,
        now: NIODeadline, send: MediaSend
    ) {
        let kind = DatagramClass.classify(bytes)
        switch kind {
        case .stun:
            switch web.ice.handle(bytes, from: source, now: now) {
            case .respond(let response):
                response.withUnsafeBytes { send(.web, source, $0) }
                if web.ice.isValidated(source) { lastActivity = now }
                startDTLSIfClient(now: now, send: send)
            case .drop:
                break
            }
        case .dtls:
            // RFC 8445 section 7.3 / RFC 8842: DTLS runs only on a pair that passed a check.
            guard web.ice.isValidated(source), let dtls = web.dtls else {
                statistics.unvalidatedSourceDrops += 1
                return
            }
            if web.dtlsPeer == nil { web.dtlsPeer = source }
            let event = dtls.receive(bytes, now: now)
            flushDTLS(to: source, send: send)
            if let event { handle(event) }
        case .rtp, .rtcp:
            guard web.ice.isValidated(source) else {
                statistics.unvalidatedSourceDrops += 1
                return
            }
            guard let inbound = web.inbound else { return }  // before DTLS finished: nothing to decrypt with
            let isRTCP = kind == .rtcp
            do {
                let plain = try isRTCP
                    ? inbound.unprotectRTCP(packet, length: length) : inbound.unprotectRTP(packet, length: length)
                statistics.webPacketsReceived += 1
                lastActivity = now
                let clear = UnsafeRawBufferPointer(rebasing: packet[0..<plain])
                if isRTCP {
                    noteReport(clear, from: .web, now: now)
                } else {
                    handleRTP(clear, from: .web, now: now, send: send)
                }
            } catch {
                switch error {
                case .authenticationFailed: statistics.srtpAuthenticationFailures += 1
                case .replayed, .tooOld: statistics.srtpReplays += 1
                default: statistics.malformedDrops += 1
                }
            }
        case .unknown:
            statistics.malformedDrops += 1
        }
    }

    private func receiveFromDevice(
        _ bytes: UnsafeRawBufferPointer, from source: SocketAddress, now: NIODeadline, send: MediaSend
    ) {
        let kind = DatagramClass.classify(bytes)
        guard kind == .rtp || kind == .rtcp else {
            statistics.malformedDrops += 1
            return
        }
        // Only RTP moves the latch: RTCP arrives from another port (RFC 3550 section 11).
        guard kind == .rtp ? device.accepts(source) : device.acceptsControl(from: source) else {
            statistics.unexpectedSourceDrops += 1
            return
        }
        statistics.devicePacketsReceived += 1
        lastActivity = now
        if kind == .rtcp {
            noteReport(bytes, from: .device, now: now)
        } else {
            handleRTP(bytes, from: .device, now: now, send: send)
        }
    }

    /// A DTLS client (the browser answered `passive`) opens the handshake once a pair is nominated.
    func startDTLSIfClient(now: NIODeadline, send: MediaSend) {
        // Checked every tick: the cheap flag first.
        guard !web.dtlsStarted, let dtls = web.dtls, let selected = web.ice.selectedAddress else { return }
        web.dtlsStarted = true
        web.dtlsPeer = selected
        dtls.start(now: now)
        flushDTLS(to: selected, send: send)
    }

    func flushDTLS(to destination: SocketAddress, send: MediaSend) {
        guard let dtls = web.dtls else { return }
        for datagram in dtls.takeOutgoing() {
            datagram.withUnsafeBytes { send(.web, destination, $0) }
        }
    }

    /// RFC 5764 section 4.2: the exported keying material splits into the client's and the server's
    /// master keys; Parley writes with its own and reads with the browser's.
    func handle(_ event: DTLSEvent) {
        switch event {
        case .connected(let keying):
            guard let profile = SRTPProfile(dtlsProfileID: keying.protectionProfileID),
                let keys = SRTPKeyingMaterial.split(keying.material, profile: profile, isDTLSClient: keying.isClient),
                let outbound = try? SRTPContext(profile: profile, masterKey: keys.local),
                let inbound = try? SRTPContext(profile: profile, masterKey: keys.remote)
            else {
                failure = .dtls(.noSRTPProfile)
                return
            }
            web.outbound = outbound
            web.inbound = inbound
        case .failed(let reason):
            failure = .dtls(reason)
            web.outbound = nil
            web.inbound = nil
        case .closed:
            web.outbound = nil
            web.inbound = nil
        }
    }

    /// An RTP packet in the clear from one leg: telephone events are relayed at once, audio is relayed
    /// (same codec) or queued for transcoding; anything else (comfort noise, unknown types) is dropped.
    func handleRTP(_ packet: UnsafeRawBufferPointer, from side: MediaLegSide, now: NIODeadline, send: MediaSend) {
        guard let view = RTPPacketView(packet) else {
            statistics.malformedDrops += 1
            return
        }
        guard let codecs = side == .web ? web.codecs : device.codecs else { return }
        // The audio stream's SSRC is the source's identity; events or repair under another SSRC are not a
        // new source.
        let isCurrentSource = view.ssrc == (side == .web ? web.remoteSSRC : device.remoteSSRC)
        if view.payloadType == codecs.audio.payloadType || isCurrentSource {
            noteReceived(view, from: side, clockRate: codecs.audio.clockRate, now: now)
        }
        let payload = UnsafeRawBufferPointer(rebasing: packet[view.payloadRange])
        if let event = codecs.telephoneEvent, view.payloadType == event.payloadType {
            relayEvent(view, payload: payload, from: side, sourceClock: event.clockRate, send: send)
            return
        }
        guard view.payloadType == codecs.audio.payloadType, !payload.isEmpty else { return }
        if isPassThrough {
            relayAudio(view, payload: payload, from: side, send: send)
        } else {
            let path = side == .web ? webToDevice : deviceToWeb
            path?.receive(
                sequence: view.sequenceNumber, payloadType: view.payloadType, payload: payload,
                rtpTimestamp: view.timestamp, clockRate: codecs.audio.clockRate, arrival: now)
        }
    }

    private func noteReceived(_ view: RTPPacketView, from side: MediaLegSide, clockRate: Int, now: NIODeadline) {
        // RFC 3550 A.8 wants the arrival time in the stream's clock units.
        let arrival = UInt32(truncatingIfNeeded: now.uptimeNanoseconds / 1000 * UInt64(clockRate) / 1_000_000)
        switch side {
        case .web:
            if web.remoteSSRC != view.ssrc {
                web.remoteSSRC = view.ssrc
                web.received = RTPSequenceTracker()
                web.lastSenderReport = 0
                web.lastSenderReportArrival = nil
                // A new source: the relayed stream gets a new offset, queued audio of the old one goes.
                device.sender.restartRelay()
                webToDevice?.flush()
            }
            _ = web.received.update(view.sequenceNumber)
            web.received.updateJitter(rtpTimestamp: view.timestamp, arrival: arrival)
        case .device:
            if device.remoteSSRC != view.ssrc {
                device.remoteSSRC = view.ssrc
                device.received = RTPSequenceTracker()
                device.lastSenderReport = 0
                device.lastSenderReportArrival = nil
                web.sender.restartRelay()
                deviceToWeb?.flush()
            }
            _ = device.received.update(view.sequenceNumber)
            device.received.updateJitter(rtpTimestamp: view.timestamp, arrival: arrival)
        }
    }

    /// Pass-through: the payload is copied behind a header of Parley's own stream on the other leg.
    private func relayAudio(_ view: RTPPacketView, payload: UnsafeRawBufferPointer, from side: MediaLegSide, send: MediaSend) {
        let target = side.other
        let datagram = scratch.datagram
        let room = datagram.count - 12 - 16
        guard payload.count <= room else { return }
        switch target {
        case .device:
            guard device.canSend, let codecs = device.codecs, let destination = device.destination else { return }
            let header = device.sender.writeRelayedHeader(
                into: datagram, payloadType: codecs.audio.payloadType, marker: view.marker,
                sourceSequence: view.sequenceNumber, sourceTimestamp: view.timestamp)
            copy(payload, to: header)
            device.sender.countSent(payloadBytes: payload.count)
            statistics.devicePacketsSent += 1
            send(.device, destination, UnsafeRawBufferPointer(rebasing: datagram[0..<(header + payload.count)]))
        case .web:
            guard web.canSend, let codecs = web.codecs, let destination = web.destination else { return }
            let header = web.sender.writeRelayedHeader(
                into: datagram, payloadType: codecs.audio.payloadType, marker: view.marker,
                sourceSequence: view.sequenceNumber, sourceTimestamp: view.timestamp)
            copy(payload, to: header)
            web.sender.countSent(payloadBytes: payload.count)
            sendProtected(length: header + payload.count, to: destination, send: send)
        }
    }

    /// RFC 4733 events keep their meaning across legs: the payload is the same, the payload type is the
    /// target's, and the timestamp and duration move to the target's clock.
    private func relayEvent(
        _ view: RTPPacketView, payload: UnsafeRawBufferPointer, from side: MediaLegSide, sourceClock: Int, send: MediaSend
    ) {
        guard var event = TelephoneEvent(payload: payload) else { return }
        let target = side.other
        let targetCodecs = target == .web ? web.codecs : device.codecs
        guard let targetEvent = targetCodecs?.telephoneEvent else { return }
        if targetEvent.clockRate != sourceClock, sourceClock > 0 {
            let scaled = Int(event.duration) * targetEvent.clockRate / sourceClock
            event.duration = UInt16(clamping: scaled)
        }
        let datagram = scratch.datagram
        switch target {
        case .device:
            guard device.canSend, let destination = device.destination else { return }
            let header = device.sender.writeRelayedEventHeader(
                into: datagram, payloadType: targetEvent.payloadType, source: view, sharesSourceTimeline: isPassThrough)
            let body = event.write(into: UnsafeMutableRawBufferPointer(rebasing: datagram[header...]))
            statistics.devicePacketsSent += 1
            statistics.telephoneEventsRelayed += 1
            send(.device, destination, UnsafeRawBufferPointer(rebasing: datagram[0..<(header + body)]))
        case .web:
            guard web.canSend, let destination = web.destination else { return }
            let header = web.sender.writeRelayedEventHeader(
                into: datagram, payloadType: targetEvent.payloadType, source: view, sharesSourceTimeline: isPassThrough)
            let body = event.write(into: UnsafeMutableRawBufferPointer(rebasing: datagram[header...]))
            statistics.telephoneEventsRelayed += 1
            sendProtected(length: header + body, to: destination, send: send)
        }
    }

    private func copy(_ payload: UnsafeRawBufferPointer, to offset: Int) {
        guard let source = payload.baseAddress, !payload.isEmpty else { return }
        (scratch.datagram.baseAddress! + offset).copyMemory(from: source, byteCount: payload.count)
    }

    /// SRTP-protects the RTP packet in the scratch datagram and sends it to the browser.
    func sendProtected(length: Int, to destination: SocketAddress, send: MediaSend) {
        guard let outbound = web.outbound,
            let protected = try? outbound.protectRTP(scratch.datagram, length: length)
        else { return }
        statistics.webPacketsSent += 1
        send(.web, destination, UnsafeRawBufferPointer(rebasing: scratch.datagram[0..<protected]))
    }
}
