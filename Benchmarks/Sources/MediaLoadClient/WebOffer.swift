import DTLS
import DTLSOpenSSL
import ICELite
import MediaSession
import NIOCore
import SDP

/// The web side's SDP: an offer as a browser writes it, and what the client takes from Parley's answer.
enum WebOffer {
    /// What the client offers: ICE credentials of its own, the fingerprint of the run's one certificate,
    /// `a=setup:actpass` (RFC 8842 section 5.2), rtcp-mux, one host candidate on the call's web socket, and
    /// Opus 111 + PCMU 0 + telephone-event (or PCMU alone). WebRTCDescriptionBuilder writes Parley's own
    /// offers, which say `a=ice-lite`; a browser is a full agent, so the flag is taken out.
    static func make(
        codec: WebCodecChoice, host: String, port: Int, ice: ICECredentials, certificate: DTLSCertificate, ssrc: UInt32,
        cname: String
    ) -> String {
        let codecs: [NegotiatedCodec]
        switch codec {
        case .opus: codecs = [.opus, .pcmu, .telephoneEvent48000]
        case .pcmu: codecs = [.pcmu]
        }
        let local = LocalWebRTCParameters(
            address: host, port: UInt16(clamping: port), iceUfrag: ice.ufrag, icePwd: ice.password,
            fingerprintAlgorithm: certificate.fingerprint.algorithm, fingerprint: certificate.fingerprint.sdpValue,
            sessionID: UInt64.random(in: 1...UInt64(Int64.max)), sessionVersion: 1, ssrc: ssrc, cname: cname)
        var offer = WebRTCDescriptionBuilder.offer(local: local, codecs: codecs)
        offer.isICELite = false
        return offer.serialized()
    }

    /// The web leg's parameters from Parley's answer: its port and ICE credentials, the fingerprint to check
    /// its certificate against, and the codec it chose.
    struct Answer: Sendable {
        var parleyWeb: SocketAddress
        var parleyICE: ICECredentials
        var fingerprint: DTLSFingerprint
        var codec: WebCodecChoice
        var payloadType: UInt8
    }

    static func parseAnswer(_ text: String) throws -> Answer {
        let description = try SessionDescription.parse(text)
        let answer = try WebRTCMediaParameters(parsing: description)
        guard
            let fingerprint = DTLSFingerprint(
                sdpValue: answer.fingerprint.hex, algorithm: answer.fingerprint.hashFunction)
        else { throw MediaLoadError("Parley's answer has an unusable fingerprint") }
        guard let chosen = answer.codecs.first(where: { $0.kind.isAudio }) else {
            throw MediaLoadError("Parley's answer has no audio codec")
        }
        let codec: WebCodecChoice
        switch chosen.kind {
        case .opus: codec = .opus
        case .pcmu: codec = .pcmu
        case .pcma, .telephoneEvent: throw MediaLoadError("Parley answered \(chosen.kind.encodingName), not offered")
        }
        // Parley is ICE-lite with one host candidate; its c= line and port say the same (RFC 8839 section 5.1).
        let host = answer.candidates.first?.address ?? answer.remoteAddress ?? "127.0.0.1"
        let port = answer.candidates.first?.port ?? answer.remotePort
        let address = try SocketAddress(ipAddress: host, port: Int(port))
        return Answer(
            parleyWeb: address, parleyICE: ICECredentials(ufrag: answer.iceUfrag, password: answer.icePwd),
            fingerprint: fingerprint, codec: codec, payloadType: chosen.payloadType)
    }
}
