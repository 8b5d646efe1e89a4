import NIOCore
import RTP

extension BridgeSession {
    /// A sender report (or a receiver report when Parley has not sent) and a CNAME to each leg
    /// (RFC 3550 section 6.1: every compound packet has an SDES CNAME). Parley ends RTCP on each leg
    /// rather than relaying it: the two legs are separate RTP sessions.
    func sendReports(ntpTimestamp: UInt64, now: NIODeadline, send: MediaSend) {
        if let destination = device.rtcpDestination, device.codecs != nil {
            let leg = device
            var received = leg.received
            let length = writeReport(
                sender: leg.sender, received: &received, remoteSSRC: leg.remoteSSRC,
                lastSenderReport: leg.lastSenderReport, lastArrival: leg.lastSenderReportArrival,
                ntpTimestamp: ntpTimestamp, now: now)
            device.received = received
            if length > 0 {
                send(.device, destination, UnsafeRawBufferPointer(rebasing: scratch.datagram[0..<length]))
            }
        }
        if let destination = web.destination, let outbound = web.outbound, !web.consentLost {
            var received = web.received
            let length = writeReport(
                sender: web.sender, received: &received, remoteSSRC: web.remoteSSRC,
                lastSenderReport: web.lastSenderReport, lastArrival: web.lastSenderReportArrival,
                ntpTimestamp: ntpTimestamp, now: now)
            web.received = received
            if length > 0, let protected = try? outbound.protectRTCP(scratch.datagram, length: length) {
                send(.web, destination, UnsafeRawBufferPointer(rebasing: scratch.datagram[0..<protected]))
            }
        }
    }

    private func writeReport(
        sender: RTPSender, received: inout RTPSequenceTracker, remoteSSRC: UInt32?, lastSenderReport: UInt32,
        lastArrival: NIODeadline?, ntpTimestamp: UInt64, now: NIODeadline
    ) -> Int {
        var blocks: [RTCPReportBlock] = []
        if let remoteSSRC {
            let interval = received.takeReportInterval()
            // DLSR in 1/65536 s since the last SR arrived (section 6.4.1).
            let delay = lastArrival.map { arrival -> UInt32 in
                let elapsed = now.uptimeNanoseconds &- arrival.uptimeNanoseconds
                let units = elapsed / 1_000_000_000 * 65536 + elapsed % 1_000_000_000 * 65536 / 1_000_000_000
                return UInt32(clamping: units)
            } ?? 0
            blocks.append(
                RTCPReportBlock(
                    ssrc: remoteSSRC, fractionLost: interval.fractionLost, cumulativeLost: interval.cumulativeLost,
                    extendedHighestSequence: received.extendedHighest, jitter: received.jitter,
                    lastSR: lastSenderReport, delaySinceLastSR: lastArrival == nil ? 0 : delay))
        }
        let datagram = scratch.datagram
        let area = UnsafeMutableRawBufferPointer(rebasing: datagram[0..<(datagram.count - 32)])
        let head: Int
        if sender.packetCount > 0 {
            head = RTCPWriter.writeSenderReport(
                RTCPSenderReport(
                    ssrc: sender.ssrc, ntpTimestamp: ntpTimestamp, rtpTimestamp: sender.timestamp,
                    packetCount: sender.packetCount, octetCount: sender.octetCount, reports: blocks),
                into: area)
        } else {
            head = RTCPWriter.writeReceiverReport(RTCPReceiverReport(ssrc: sender.ssrc, reports: blocks), into: area)
        }
        guard head > 0 else { return 0 }
        let names = RTCPWriter.writeSDESCName(
            ssrc: sender.ssrc, cname: settings.cname, into: UnsafeMutableRawBufferPointer(rebasing: area[head...]))
        return names > 0 ? head + names : head
    }

    /// Remembers a peer's sender report for the LSR/DLSR of Parley's next report (RFC 3550 section 6.4.1).
    func noteReport(_ packet: UnsafeRawBufferPointer, from side: MediaLegSide, now: NIODeadline) {
        guard let packets = RTCPParser.parseCompound(packet) else {
            statistics.malformedDrops += 1
            return
        }
        for case .senderReport(let report) in packets {
            let middle = UInt32(truncatingIfNeeded: report.ntpTimestamp >> 16)
            switch side {
            case .web:
                web.lastSenderReport = middle
                web.lastSenderReportArrival = now
            case .device:
                device.lastSenderReport = middle
                device.lastSenderReportArrival = now
            }
        }
    }
}
