import AudioCodecs
import DTLS
import DTLSOpenSSL
import ICELite
import NIOCore
import RTP
import SRTP
import STUN

/// A stand-in browser for engine tests: a full ICE agent's checks, a DTLS client, SRTP, Opus.
final class BrowserPeer {
    let address: SocketAddress
    let credentials: ICECredentials
    let certificate: DTLSCertificate
    let dtls: OpenSSLDTLSEndpoint
    var outbound: SRTPContext?
    var inbound: SRTPContext?
    let encoder: OpusEncoder
    let decoder: OpusDecoder
    var sequence: UInt16 = 1000
    var timestamp: UInt32 = 48_000
    let ssrc: UInt32 = 0x1234_5678

    init(address: SocketAddress, parleyFingerprint: DTLSFingerprint, role: DTLSRole = .client) throws {
        self.address = address
        var generator = SystemRandomNumberGenerator()
        credentials = ICECredentials.random(using: &generator)
        certificate = try DTLSCertificate.generate(commonName: "browser")
        dtls = try OpenSSLDTLSEndpoint(role: role, certificate: certificate, remoteFingerprint: parleyFingerprint)
        encoder = try OpusEncoder()
        decoder = try OpusDecoder()
    }

    /// A connectivity check as a controlling full agent sends it (RFC 8445 section 7.2.4).
    func bindingRequest(parley: ICECredentials, nominate: Bool, password: String? = nil) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        var builder = STUNMessageBuilder(
            type: 0x0001, transactionID: STUNTransactionID.random(using: &generator))
        builder.append(username: "\(parley.ufrag):\(credentials.ufrag)")
        builder.appendPriority(1_853_817_087)
        builder.appendICEControlling(0x0102_0304_0506_0708)
        if nominate { builder.appendUseCandidate() }
        builder.appendMessageIntegrity(key: Array((password ?? parley.password).utf8))
        builder.appendFingerprint()
        return builder.finish()
    }

    func keyed(by event: DTLSEvent?) -> Bool {
        guard case .connected(let keying)? = event,
            let profile = SRTPProfile(dtlsProfileID: keying.protectionProfileID),
            let keys = SRTPKeyingMaterial.split(keying.material, profile: profile, isDTLSClient: keying.isClient)
        else { return false }
        outbound = try? SRTPContext(profile: profile, masterKey: keys.local)
        inbound = try? SRTPContext(profile: profile, masterKey: keys.remote)
        return outbound != nil && inbound != nil
    }

    /// One 20 ms Opus frame of `pcm` (8 kHz), as SRTP.
    func opusPacket(_ pcm: [Int16], payloadType: UInt8 = 111) -> [UInt8] {
        var packet = [UInt8](repeating: 0, count: 1500)
        let length = packet.withUnsafeMutableBytes { buffer -> Int in
            let header = RTPHeaderWriter.write(
                into: buffer, payloadType: payloadType, marker: false, sequenceNumber: sequence, timestamp: timestamp,
                ssrc: ssrc)
            let payload = pcm.withUnsafeBufferPointer { samples in
                (try? encoder.encode(samples, into: UnsafeMutableRawBufferPointer(rebasing: buffer[header...]))) ?? 0
            }
            return (try? outbound?.protectRTP(buffer, length: header + payload)) ?? 0
        }
        sequence &+= 1
        timestamp &+= 960
        return Array(packet[0..<length])
    }

    /// Decrypts and decodes an SRTP packet from Parley; nil when it is not audio.
    func decode(_ datagram: [UInt8]) -> [Int16]? {
        var packet = datagram + [UInt8](repeating: 0, count: 64)
        return packet.withUnsafeMutableBytes { buffer -> [Int16]? in
            guard let inbound, let plain = try? inbound.unprotectRTP(buffer, length: datagram.count),
                let view = RTPPacketView(UnsafeRawBufferPointer(rebasing: buffer[0..<plain])), view.payloadType == 111
            else { return nil }
            var pcm = [Int16](repeating: 0, count: 960)
            let samples = pcm.withUnsafeMutableBufferPointer { output in
                (try? decoder.decode(UnsafeRawBufferPointer(rebasing: buffer[view.payloadRange]), into: output)) ?? 0
            }
            return Array(pcm[0..<samples])
        }
    }
}
