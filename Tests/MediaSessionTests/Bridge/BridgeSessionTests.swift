import AudioCodecs
import DTLS
import DTLSOpenSSL
import ICELite
import MediaSession
import NIOCore
import RTP
import SRTP
import Testing

/// The bridge engine end to end in memory, on a virtual clock: a stand-in browser (ICE checks, DTLS
/// client, SRTP, Opus) on one side and a G.711 device on the other.
@Suite("Media bridge session")
struct BridgeSessionTests {
    static let browserAddress = try! SocketAddress(ipAddress: "127.0.0.1", port: 50_000)
    static let strangerAddress = try! SocketAddress(ipAddress: "127.0.0.1", port: 50_002)
    static let deviceAddress = try! SocketAddress(ipAddress: "127.0.0.1", port: 40_000)
    static let parleyCertificate = try! DTLSCertificate.generate(commonName: "parley")

    /// What the session sent, by leg.
    final class Wire {
        var toWeb: [(SocketAddress, [UInt8])] = []
        var toDevice: [(SocketAddress, [UInt8])] = []

        func record(_ leg: MediaLegSide, _ address: SocketAddress, _ bytes: UnsafeRawBufferPointer) {
            switch leg {
            case .web: toWeb.append((address, Array(bytes)))
            case .device: toDevice.append((address, Array(bytes)))
            }
        }
    }

    struct Harness {
        let session: BridgeSession
        let browser: BrowserPeer
        let parleyICE: ICECredentials
        let wire = Wire()
        var now = NIODeadline.uptimeNanoseconds(1_000_000_000)

        init(webCodec: NegotiatedCodec = .opus, deviceCodec: NegotiatedCodec = .pcmu, wrongFingerprint: Bool = false)
            throws
        {
            var generator = SystemRandomNumberGenerator()
            parleyICE = ICECredentials.random(using: &generator)
            session = BridgeSession(
                settings: BridgeSettings(), webCredentials: parleyICE, webSSRC: 0xABCD, using: &generator)
            browser = try BrowserPeer(address: BridgeSessionTests.browserAddress, parleyFingerprint: BridgeSessionTests.parleyCertificate.fingerprint)
            // Parley expects the browser's certificate, or (to test the failure) another one.
            let expected = wrongFingerprint
                ? try DTLSCertificate.generate(commonName: "someone else").fingerprint : browser.certificate.fingerprint
            let endpoint = try OpenSSLDTLSEndpoint(
                role: .server, certificate: BridgeSessionTests.parleyCertificate, remoteFingerprint: expected)
            try session.configureWeb(
                remoteICE: browser.credentials, dtls: endpoint,
                codecs: LegCodecs(audio: webCodec, telephoneEvent: .telephoneEvent48000, peerDirection: .sendrecv),
                now: now)
            try session.configureDevice(
                address: BridgeSessionTests.deviceAddress,
                codecs: LegCodecs(audio: deviceCodec, telephoneEvent: .telephoneEvent8000, peerDirection: .sendrecv))
        }

        mutating func deliver(_ bytes: [UInt8], from source: SocketAddress, on side: MediaLegSide) {
            var packet = bytes + [UInt8](repeating: 0, count: 64)
            let wire = self.wire
            let now = self.now
            packet.withUnsafeMutableBytes { buffer in
                session.receive(buffer, length: bytes.count, from: source, on: side, now: now) { wire.record($0, $1, $2) }
            }
        }

        mutating func tick() {
            now = now + .milliseconds(20)
            let wire = self.wire
            session.tick(now: now, ntpTimestamp: 0xE000_0000_0000_0000) { wire.record($0, $1, $2) }
        }

        /// ICE check with nomination, then the DTLS handshake to the end. Returns the browser's last event.
        mutating func connect() -> DTLSEvent? {
            deliver(browser.bindingRequest(parley: parleyICE, nominate: true), from: browser.address, on: .web)
            wire.toWeb.removeAll()
            browser.dtls.start(now: now)
            var browserEvent: DTLSEvent?
            for _ in 0..<20 {
                let flights = browser.dtls.takeOutgoing()
                if flights.isEmpty && wire.toWeb.isEmpty { break }
                for datagram in flights { deliver(datagram, from: browser.address, on: .web) }
                let replies = wire.toWeb
                wire.toWeb.removeAll()
                for (_, datagram) in replies {
                    let event = datagram.withUnsafeBytes { browser.dtls.receive($0, now: now) }
                    if let event { browserEvent = event }
                }
            }
            return browserEvent
        }
    }

    @Test func checkIsAnsweredAndNominates() throws {
        var harness = try Harness()
        harness.deliver(harness.browser.bindingRequest(parley: harness.parleyICE, nominate: true), from: Self.browserAddress, on: .web)
        #expect(harness.wire.toWeb.count == 1)
        #expect(harness.session.webDestination == Self.browserAddress)
        // A check signed with the wrong password is refused (401), and selects nothing.
        var other = try Harness()
        other.deliver(
            other.browser.bindingRequest(parley: other.parleyICE, nominate: true, password: "not-the-password-at-all"),
            from: Self.browserAddress, on: .web)
        #expect(other.session.webDestination == nil)
    }

    @Test func transcodesBothWaysAfterDTLS() throws {
        var harness = try Harness()
        let browserEvent = harness.connect()
        #expect(harness.browser.keyed(by: browserEvent))
        #expect(harness.session.isDTLSConnected)
        #expect(!harness.session.isPassThrough)

        // 1 s of 1000 Hz from the browser (Opus), 1 s of 440 Hz from the device (PCMU).
        var deviceSequence: UInt16 = 7
        for frame in 0..<50 {
            let tone = ToneAnalysis.sine(frequency: 1000, sampleRate: 8000, count: 160, offset: frame * 160)
            harness.deliver(harness.browser.opusPacket(tone), from: Self.browserAddress, on: .web)
            let deviceTone = ToneAnalysis.sine(frequency: 440, sampleRate: 8000, count: 160, offset: frame * 160)
            harness.deliver(
                Self.pcmuPacket(deviceTone, sequence: deviceSequence, timestamp: UInt32(frame * 160)),
                from: Self.deviceAddress, on: .device)
            deviceSequence &+= 1
            harness.tick()
        }
        for _ in 0..<5 { harness.tick() }

        let toDevice = harness.wire.toDevice.filter { $0.0 == Self.deviceAddress }.compactMap { Self.pcmuSamples($0.1) }
        #expect(toDevice.count >= 40)
        let heardByDevice = Array(toDevice.dropFirst(5).joined())
        #expect(abs(ToneAnalysis.dominantFrequency(of: heardByDevice) - 1000) <= 20)

        let toBrowser = harness.wire.toWeb.compactMap { harness.browser.decode($0.1) }
        #expect(toBrowser.count >= 40)
        let heardByBrowser = Array(toBrowser.dropFirst(5).joined())
        #expect(abs(ToneAnalysis.dominantFrequency(of: heardByBrowser) - 440) <= 20)
    }

    @Test func tamperedReplayedAndUnvalidatedSRTPIsDropped() throws {
        var harness = try Harness()
        #expect(harness.browser.keyed(by: harness.connect()))
        let tone = ToneAnalysis.sine(frequency: 1000, sampleRate: 8000, count: 160)
        let packet = harness.browser.opusPacket(tone)
        harness.deliver(packet, from: Self.browserAddress, on: .web)
        #expect(harness.session.statistics.webPacketsReceived == 1)

        harness.deliver(packet, from: Self.browserAddress, on: .web)
        #expect(harness.session.statistics.srtpReplays == 1)

        var tampered = harness.browser.opusPacket(tone)
        tampered[tampered.count - 1] ^= 0x01
        harness.deliver(tampered, from: Self.browserAddress, on: .web)
        #expect(harness.session.statistics.srtpAuthenticationFailures == 1)

        harness.deliver(harness.browser.opusPacket(tone), from: Self.strangerAddress, on: .web)
        #expect(harness.session.statistics.unvalidatedSourceDrops == 1)
        #expect(harness.session.statistics.webPacketsReceived == 1)
    }

    @Test func wrongFingerprintFailsTheSession() throws {
        var harness = try Harness(wrongFingerprint: true)
        _ = harness.connect()
        #expect(!harness.session.isDTLSConnected)
        harness.tick()
        #expect(harness.session.failure == .dtls(.fingerprintMismatch))
    }

    @Test func sameCodecIsRelayedWithoutTranscoding() throws {
        var harness = try Harness(webCodec: .pcmu, deviceCodec: .pcmu)
        #expect(harness.browser.keyed(by: harness.connect()))
        #expect(harness.session.isPassThrough)
        let tone = ToneAnalysis.sine(frequency: 440, sampleRate: 8000, count: 160)
        harness.deliver(Self.pcmuPacket(tone, sequence: 1, timestamp: 0), from: Self.deviceAddress, on: .device)
        // Relayed at once, not on the tick, and the payload is the device's own.
        #expect(harness.wire.toWeb.count == 1)
        #expect(harness.session.statistics.webPacketsSent == 1)
    }

    @Test func telephoneEventsCrossToTheDeviceClock() throws {
        var harness = try Harness()
        #expect(harness.browser.keyed(by: harness.connect()))
        var event = [UInt8](repeating: 0, count: 4)
        _ = event.withUnsafeMutableBytes { TelephoneEvent(event: 5, end: false, volume: 10, duration: 960).write(into: $0) }
        var packet = [UInt8](repeating: 0, count: 200)
        let length = packet.withUnsafeMutableBytes { buffer -> Int in
            let header = RTPHeaderWriter.write(
                into: buffer, payloadType: 110, marker: true, sequenceNumber: 5000, timestamp: 96_000, ssrc: 0x1234_5678)
            for index in 0..<4 { buffer[header + index] = event[index] }
            return (try? harness.browser.outbound?.protectRTP(buffer, length: header + 4)) ?? 0
        }
        harness.deliver(Array(packet[0..<length]), from: Self.browserAddress, on: .web)
        let relayed = try #require(harness.wire.toDevice.last?.1)
        let view = try #require(relayed.withUnsafeBytes { RTPPacketView($0) })
        #expect(view.payloadType == 101)
        #expect(view.marker)
        let carried = relayed.withUnsafeBytes { TelephoneEvent(payload: UnsafeRawBufferPointer(rebasing: $0[view.payloadRange])) }
        // 960 ticks of the 48 kHz clock are 160 of the 8 kHz one (RFC 4733 section 2.5.1.3).
        #expect(carried == TelephoneEvent(event: 5, end: false, volume: 10, duration: 160))
    }

    static func pcmuPacket(_ samples: [Int16], sequence: UInt16, timestamp: UInt32) -> [UInt8] {
        var packet = [UInt8](repeating: 0, count: 12 + samples.count)
        packet.withUnsafeMutableBytes { buffer in
            let header = RTPHeaderWriter.write(
                into: buffer, payloadType: 0, marker: false, sequenceNumber: sequence, timestamp: timestamp, ssrc: 0x0D0D)
            samples.withUnsafeBufferPointer { G711.encodeMuLaw($0, into: UnsafeMutableRawBufferPointer(rebasing: buffer[header...])) }
        }
        return packet
    }

    static func pcmuSamples(_ datagram: [UInt8]) -> [Int16]? {
        datagram.withUnsafeBytes { bytes -> [Int16]? in
            guard let view = RTPPacketView(bytes), view.payloadType == 0 else { return nil }
            var samples = [Int16](repeating: 0, count: view.payloadRange.count)
            samples.withUnsafeMutableBufferPointer {
                G711.decodeMuLaw(UnsafeRawBufferPointer(rebasing: bytes[view.payloadRange]), into: $0)
            }
            return samples
        }
    }
}

extension BridgeSessionTests {
    /// Lost browser packets are filled in (FEC from the next packet, or concealment) and the tone goes on.
    @Test func lossIsConcealedAndTheToneGoesOn() throws {
        var harness = try Harness()
        #expect(harness.browser.keyed(by: harness.connect()))
        for frame in 0..<50 {
            let tone = ToneAnalysis.sine(frequency: 1000, sampleRate: 8000, count: 160, offset: frame * 160)
            let packet = harness.browser.opusPacket(tone)
            if frame % 7 != 3 { harness.deliver(packet, from: Self.browserAddress, on: .web) }
            harness.tick()
        }
        #expect(harness.session.statistics.concealedFrames >= 5)
        let heard = harness.wire.toDevice.compactMap { Self.pcmuSamples($0.1) }
        #expect(heard.count >= 45)
        #expect(abs(ToneAnalysis.dominantFrequency(of: Array(heard.dropFirst(5).joined())) - 1000) <= 20)
    }

    /// RFC 7675: 30 s without a consent check from the browser and Parley stops sending to it.
    @Test func mediaToTheBrowserStopsWhenConsentExpires() throws {
        var harness = try Harness()
        #expect(harness.browser.keyed(by: harness.connect()))
        var sequence: UInt16 = 1
        func deviceFrame() {
            let tone = ToneAnalysis.sine(frequency: 440, sampleRate: 8000, count: 160)
            harness.deliver(Self.pcmuPacket(tone, sequence: sequence, timestamp: UInt32(sequence) * 160), from: Self.deviceAddress, on: .device)
            sequence &+= 1
            harness.tick()
        }
        for _ in 0..<100 { deviceFrame() }
        let sentBefore = harness.session.statistics.webPacketsSent
        #expect(sentBefore > 80)
        // 31 s pass without a check.
        for _ in 0..<1550 { deviceFrame() }
        #expect(harness.session.failure == .consentExpired)
        let sentAtExpiry = harness.session.statistics.webPacketsSent
        for _ in 0..<50 { deviceFrame() }
        #expect(harness.session.statistics.webPacketsSent == sentAtExpiry)
    }
}

extension BridgeSessionTests {
    /// RTP to the device leg from a host that is neither in the device's SDP nor its SIP source is
    /// dropped, before and after the device's own packets (no RTP bleed).
    @Test func aStrangerCannotTakeTheDeviceLegOver() throws {
        var harness = try Harness()
        let stranger = try SocketAddress(ipAddress: "127.0.0.9", port: 40_000)
        let tone = ToneAnalysis.sine(frequency: 440, sampleRate: 8000, count: 160)
        harness.deliver(Self.pcmuPacket(tone, sequence: 1, timestamp: 0), from: stranger, on: .device)
        #expect(harness.session.statistics.unexpectedSourceDrops == 1)
        harness.deliver(Self.pcmuPacket(tone, sequence: 2, timestamp: 160), from: Self.deviceAddress, on: .device)
        harness.deliver(Self.pcmuPacket(tone, sequence: 3, timestamp: 320), from: stranger, on: .device)
        #expect(harness.session.statistics.unexpectedSourceDrops == 2)
        #expect(harness.session.statistics.devicePacketsReceived == 1)
        #expect(harness.session.deviceDestination == Self.deviceAddress)
    }

    /// Pass-through keeps the source's sequence gaps, so the browser sees the loss.
    @Test func passThroughKeepsSequenceGaps() throws {
        var harness = try Harness(webCodec: .pcmu, deviceCodec: .pcmu)
        #expect(harness.browser.keyed(by: harness.connect()))
        let tone = ToneAnalysis.sine(frequency: 440, sampleRate: 8000, count: 160)
        for sequence: UInt16 in [10, 11, 13] {
            harness.deliver(
                Self.pcmuPacket(tone, sequence: sequence, timestamp: UInt32(sequence) * 160), from: Self.deviceAddress,
                on: .device)
        }
        var sequences: [UInt16] = []
        for (_, datagram) in harness.wire.toWeb {
            var packet = datagram + [UInt8](repeating: 0, count: 64)
            packet.withUnsafeMutableBytes { buffer in
                guard let plain = try? harness.browser.inbound?.unprotectRTP(buffer, length: datagram.count),
                    let view = RTPPacketView(UnsafeRawBufferPointer(rebasing: buffer[0..<plain]))
                else { return }
                sequences.append(view.sequenceNumber)
            }
        }
        #expect(sequences.count == 3)
        #expect(sequences.count == 3 && sequences[1] &- sequences[0] == 1 && sequences[2] &- sequences[1] == 2)
    }
}
