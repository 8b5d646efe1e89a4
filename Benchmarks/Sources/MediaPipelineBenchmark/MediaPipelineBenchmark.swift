import AudioCodecs
import CMallocCounter
import DTLS
import DTLSOpenSSL
import Foundation
import ICELite
import MediaSession
import NIOCore
import RTP
import SRTP
import STUN

/// The per-frame cost of one anchored call, without sockets: a stand-in browser sends SRTP Opus, a
/// stand-in device sends PCMU, and BridgeSession does everything Parley does per 20 ms frame in both
/// directions (SRTP unprotect, jitter buffer, Opus decode to 8 kHz, G.711 encode, RTP; and G.711 decode,
/// Opus encode, SRTP protect). The browser's Opus frames are encoded once before the loop, so every
/// Opus call inside the loop is the bridge's own.
///
///   MediaPipelineBenchmark [--frames N] [--mode transcode|pass-through] [--complexity 0-10] [--bitrate B]
///                          [--no-fec] [--quiet]
/// Prints frames/s and allocations per frame; under callgrind, scripts/bench-media/pipeline.sh compares
/// the inclusive instructions of BridgeSession.receive/tick with those of opus_encode/opus_decode.
@main
struct MediaPipelineBenchmark {
    static func main() throws {
        let arguments = CommandLine.arguments
        func option(_ name: String) -> String? {
            arguments.firstIndex(of: name).flatMap { $0 + 1 < arguments.count ? arguments[$0 + 1] : nil }
        }
        let frames = Int(option("--frames") ?? "") ?? 5000
        let passThrough = option("--mode") == "pass-through"
        let quiet = arguments.contains("--quiet")

        var opus = OpusEncoderSettings()
        if let complexity = option("--complexity").flatMap(Int32.init) { opus.complexity = complexity }
        if let bitrate = option("--bitrate").flatMap(Int32.init) { opus.bitrate = bitrate }
        if arguments.contains("--no-fec") { opus.inbandFEC = false }
        let call = try BenchmarkCall(passThrough: passThrough, opus: opus)
        // Warm up: the jitter buffers fill, the codecs settle.
        for _ in 0..<50 { call.frame() }
        let consentBefore = call.consentAllocations
        let allocationsBefore = parley_allocation_count()
        let start = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<frames { call.frame() }
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let allocations = parley_allocation_count() - allocationsBefore
        let consentAllocations = call.consentAllocations - consentBefore
        guard !quiet else { return }
        let perFrame = elapsed / Double(frames)
        print(
            """
            mode: \(passThrough ? "pass-through (PCMU both legs)" : "transcode (Opus web <-> PCMU device)")
            frames (20 ms, both directions): \(frames)
            time per frame: \(String(format: "%.2f", perFrame * 1e6)) µs
            calls per core (CPU only, no sockets): \(Int(0.020 / perFrame))
            allocations per media frame: \(String(format: "%.3f", Double(allocations - consentAllocations) / Double(frames)))
            allocations per consent check (every 5 s): \(String(format: "%.0f", Double(consentAllocations) / Double(max(1, frames / 250))))
            packets to device: \(call.toDevice), to web: \(call.toWeb)
            """)
    }
}

/// One call in memory with both stand-in peers, after ICE and DTLS.
final class BenchmarkCall {
    static let browserAddress = try! SocketAddress(ipAddress: "127.0.0.1", port: 50_000)
    static let deviceAddress = try! SocketAddress(ipAddress: "127.0.0.1", port: 40_000)

    let session: BridgeSession
    let browserOutbound: SRTPContext
    var now = NIODeadline.uptimeNanoseconds(1_000_000_000)
    var webPackets: [[UInt8]] = []
    var devicePayloads: [[UInt8]] = []
    var sequence: UInt16 = 1
    var webTimestamp: UInt32 = 0
    var deviceTimestamp: UInt32 = 0
    var index = 0
    var toDevice = 0
    var toWeb = 0
    let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 1600, alignment: 16)
    let passThrough: Bool
    /// A browser renews consent every 5 s (RFC 7675 section 5.1); without it Parley stops sending after 30 s.
    var consentCheck: [UInt8] = []
    /// Allocations made answering consent checks (a STUN response is built per check), kept apart from media.
    var consentAllocations: UInt64 = 0

    init(passThrough: Bool, opus: OpusEncoderSettings) throws {
        self.passThrough = passThrough
        var generator = SystemRandomNumberGenerator()
        let parleyICE = ICECredentials.random(using: &generator)
        let browserICE = ICECredentials.random(using: &generator)
        let parleyCertificate = try DTLSCertificate.generate(commonName: "parley")
        let browserCertificate = try DTLSCertificate.generate(commonName: "browser")
        let session = BridgeSession(
            settings: BridgeSettings(opus: opus), webCredentials: parleyICE, webSSRC: 0xABCD, using: &generator)
        self.session = session
        let now = NIODeadline.uptimeNanoseconds(1_000_000_000)
        let server = try OpenSSLDTLSEndpoint(
            role: .server, certificate: parleyCertificate, remoteFingerprint: browserCertificate.fingerprint)
        let webCodec: NegotiatedCodec = passThrough ? .pcmu : .opus
        try session.configureWeb(
            remoteICE: browserICE, dtls: server,
            codecs: LegCodecs(audio: webCodec, telephoneEvent: .telephoneEvent48000, peerDirection: .sendrecv), now: now)
        try session.configureDevice(
            address: Self.deviceAddress,
            codecs: LegCodecs(audio: .pcmu, telephoneEvent: .telephoneEvent8000, peerDirection: .sendrecv))

        // ICE check with nomination, then DTLS to the end.
        var check = STUNMessageBuilder(type: 0x0001, transactionID: STUNTransactionID.random(using: &generator))
        check.append(username: "\(parleyICE.ufrag):\(browserICE.ufrag)")
        check.appendPriority(1_853_817_087)
        check.appendICEControlling(42)
        check.appendUseCandidate()
        check.appendMessageIntegrity(key: Array(parleyICE.password.utf8))
        check.appendFingerprint()
        let client = try OpenSSLDTLSEndpoint(
            role: .client, certificate: browserCertificate, remoteFingerprint: parleyCertificate.fingerprint)
        var toBrowser: [[UInt8]] = []
        func deliverToParley(_ bytes: [UInt8]) {
            var copy = bytes + [UInt8](repeating: 0, count: 64)
            copy.withUnsafeMutableBytes { buffer in
                session.receive(buffer, length: bytes.count, from: Self.browserAddress, on: .web, now: now) { leg, _, datagram in
                    if leg == .web { toBrowser.append(Array(datagram)) }
                }
            }
        }
        consentCheck = check.finish()
        deliverToParley(consentCheck)
        toBrowser.removeAll()
        client.start(now: now)
        var keying: DTLSSRTPKeyingMaterial?
        for _ in 0..<20 {
            for datagram in client.takeOutgoing() { deliverToParley(datagram) }
            let replies = toBrowser
            toBrowser.removeAll()
            if replies.isEmpty { break }
            for reply in replies {
                if case .connected(let material)? = reply.withUnsafeBytes({ client.receive($0, now: now) }) {
                    keying = material
                }
            }
        }
        guard let keying, let profile = SRTPProfile(dtlsProfileID: keying.protectionProfileID),
            let keys = SRTPKeyingMaterial.split(keying.material, profile: profile, isDTLSClient: true)
        else { throw BenchmarkError("DTLS did not connect") }
        browserOutbound = try SRTPContext(profile: profile, masterKey: keys.local)

        // 50 frames of each tone, encoded once.
        let encoder = try OpusEncoder()
        for frame in 0..<50 {
            let web = (0..<160).map { Int16(12_000 * sin(2 * Double.pi * 1000 * Double(frame * 160 + $0) / 8000)) }
            let device = (0..<160).map { Int16(12_000 * sin(2 * Double.pi * 440 * Double(frame * 160 + $0) / 8000)) }
            var webPayload = [UInt8](repeating: 0, count: 400)
            let length = try web.withUnsafeBufferPointer { samples in
                try webPayload.withUnsafeMutableBytes { try passThrough ? 160 : encoder.encode(samples, into: $0) }
            }
            if passThrough {
                webPayload.withUnsafeMutableBytes { output in web.withUnsafeBufferPointer { G711.encodeMuLaw($0, into: output) } }
            }
            webPackets.append(Array(webPayload[0..<length]))
            var devicePayload = [UInt8](repeating: 0, count: 160)
            devicePayload.withUnsafeMutableBytes { output in device.withUnsafeBufferPointer { G711.encodeMuLaw($0, into: output) } }
            devicePayloads.append(devicePayload)
        }
    }

    /// One 20 ms frame each way, and the tick.
    func frame() {
        let slot = index % webPackets.count
        index += 1
        if index % 250 == 0 {
            let before = parley_allocation_count()
            consentCheck.withUnsafeBytes { scratch.baseAddress!.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
            session.receive(scratch, length: consentCheck.count, from: Self.browserAddress, on: .web, now: now) { _, _, _ in }
            consentAllocations += parley_allocation_count() - before
        }
        // Browser: RTP header + pre-encoded payload, SRTP-protected (the browser's cost, outside the bridge).
        var length = RTPHeaderWriter.write(
            into: scratch, payloadType: passThrough ? 0 : 111, marker: false, sequenceNumber: sequence,
            timestamp: webTimestamp, ssrc: 0x1234)
        webPackets[slot].withUnsafeBytes { scratch.baseAddress!.advanced(by: length).copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
        length += webPackets[slot].count
        length = (try? browserOutbound.protectRTP(scratch, length: length)) ?? 0
        webTimestamp &+= passThrough ? 160 : 960
        session.receive(scratch, length: length, from: Self.browserAddress, on: .web, now: now) { leg, _, _ in
            if leg == .device { self.toDevice += 1 } else { self.toWeb += 1 }
        }
        // Device: plain RTP PCMU.
        length = RTPHeaderWriter.write(
            into: scratch, payloadType: 0, marker: false, sequenceNumber: sequence, timestamp: deviceTimestamp, ssrc: 0x5678)
        devicePayloads[slot].withUnsafeBytes { scratch.baseAddress!.advanced(by: length).copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
        length += 160
        deviceTimestamp &+= 160
        sequence &+= 1
        session.receive(scratch, length: length, from: Self.deviceAddress, on: .device, now: now) { leg, _, _ in
            if leg == .device { self.toDevice += 1 } else { self.toWeb += 1 }
        }
        now = now + .milliseconds(20)
        session.tick(now: now, ntpTimestamp: 0) { leg, _, _ in
            if leg == .device { self.toDevice += 1 } else { self.toWeb += 1 }
        }
    }
}

struct BenchmarkError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
