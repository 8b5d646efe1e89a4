import NIOCore
import RTP

extension BridgeSession {
    /// The 20 ms turn: transcoded audio plays out of the jitter buffers, DTLS retransmits, consent and
    /// RTCP are looked after. `ntpTimestamp` is the wall clock for sender reports (RFC 3550 section 4).
    public func tick(now: NIODeadline, ntpTimestamp: UInt64, send: MediaSend) {
        // A DTLS client whose pair was nominated before its parameters arrived starts here.
        startDTLSIfClient(now: now, send: send)
        if let dtls = web.dtls, let deadline = dtls.nextDeadline, deadline <= now {
            let event = dtls.handleTimeout(now: now)
            if let destination = web.destination { flushDTLS(to: destination, send: send) }
            if let event { handle(event) }
        }
        // RFC 7675 section 5.1: without consent, stop sending at once.
        let consentExpired = web.ice.selectedAddress != nil && web.ice.consentExpired(now: now)
        if consentExpired, !web.consentLost {
            web.consentLost = true
            if failure == nil { failure = .consentExpired }
        } else if !consentExpired, web.consentLost {
            // A nomination after an ICE restart brought consent back.
            web.consentLost = false
            if failure == .consentExpired { failure = nil }
        }
        if !isPassThrough {
            playOut(to: .device, send: send)
            playOut(to: .web, send: send)
        }
        if let nextReport, nextReport > now { return }
        if nextReport != nil { sendReports(ntpTimestamp: ntpTimestamp, now: now, send: send) }
        nextReport = now + .milliseconds(Int64(settings.rtcpIntervalMilliseconds))
    }

    /// One transcoded frame to a leg, or a gap in its timeline when there is nothing to play.
    private func playOut(to target: MediaLegSide, send: MediaSend) {
        let path = target == .device ? webToDevice : deviceToWeb
        guard let path, let codecs = target == .device ? device.codecs : web.codecs else { return }
        let datagram = scratch.datagram
        let payloadArea = UnsafeMutableRawBufferPointer(rebasing: datagram[12..<(datagram.count - 32)])
        let payloadLength = path.nextFrame(scratch: scratch, into: payloadArea)
        statistics.concealedFrames = (webToDevice?.concealedFrames ?? 0) + (deviceToWeb?.concealedFrames ?? 0)
        let samples = codecs.samplesPer20ms
        switch target {
        case .device:
            guard payloadLength > 0, device.canSend, let destination = device.destination else {
                device.sender.skip(samples: samples)
                return
            }
            _ = device.sender.writeAudioHeader(into: datagram, payloadType: codecs.audio.payloadType, samples: samples)
            device.sender.countSent(payloadBytes: payloadLength)
            statistics.devicePacketsSent += 1
            send(.device, destination, UnsafeRawBufferPointer(rebasing: datagram[0..<(12 + payloadLength)]))
        case .web:
            guard payloadLength > 0, web.canSend, let destination = web.destination else {
                web.sender.skip(samples: samples)
                return
            }
            _ = web.sender.writeAudioHeader(into: datagram, payloadType: codecs.audio.payloadType, samples: samples)
            web.sender.countSent(payloadBytes: payloadLength)
            sendProtected(length: 12 + payloadLength, to: destination, send: send)
        }
    }
}
