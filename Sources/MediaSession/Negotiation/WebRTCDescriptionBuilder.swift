import SDP

/// Writes Parley's descriptions for the web leg: an ICE-lite agent (RFC 8445 section 2.5) with one host candidate,
/// DTLS-SRTP (RFC 5764), rtcp-mux and a single audio section.
public enum WebRTCDescriptionBuilder {
    /// The media stream id of Parley's audio track (RFC 8830 `a=msid`), so the browser's `track` event carries a
    /// stream, as page code such as `audio.srcObject = event.streams[0]` expects.
    static let streamID = "parley"
    static let trackID = "parley-audio"

    /// An offer to a browser. `a=setup:actpass` lets the browser choose its DTLS role (RFC 8842 section 5.2); it
    /// answers `active` and starts the handshake once its checks succeed.
    public static func offer(
        local: LocalWebRTCParameters, codecs: [NegotiatedCodec] = NegotiatedCodec.defaultWebOffer,
        direction: MediaDirection = .sendrecv, mid: String = "0"
    ) -> SessionDescription {
        var description = session(local: local, bundle: [mid])
        description.media = [
            audioSection(
                local: local, proto: "UDP/TLS/RTP/SAVPF", codecs: codecs, direction: direction, mid: mid,
                setup: .actpass, rtcpMux: true)
        ]
        return description
    }

    /// The answer to a browser's offer.
    ///
    /// - RFC 3264 section 6: one m= line per offered one, in order; only the audio section is accepted, the others
    ///   are rejected with port 0 and keep their mid.
    /// - RFC 3264 section 6.1: `codec` and `telephoneEvent` are written with the offer's payload type numbers, and
    ///   the direction is `MediaDirection.answering(remote.direction, wanting: direction)`.
    /// - RFC 9143 section 7.3: the audio mid alone in `a=group:BUNDLE` when the offer bundled it.
    /// - RFC 8842 section 5.3: `setup` defaults to `remote.answerSetupRole` (`passive` unless the browser said
    ///   `passive`); `actpass` is not allowed in an answer and is replaced by that default.
    /// - RFC 5761 section 5.1.1: `a=rtcp-mux` only when offered.
    public static func answer(
        to remote: WebRTCMediaParameters, local: LocalWebRTCParameters, codec: NegotiatedCodec,
        telephoneEvent: NegotiatedCodec?, direction: MediaDirection = .sendrecv, setup: SetupRole? = nil
    ) -> SessionDescription {
        var bundle: [String] = []
        if remote.isBundled, let mid = remote.mid { bundle = [mid] }
        var description = session(local: local, bundle: bundle)
        var codecs = [codec.answering(remote.codecs)]
        if let telephoneEvent { codecs.append(telephoneEvent.answering(remote.codecs)) }
        var role = setup ?? remote.answerSetupRole
        if role == .actpass { role = remote.answerSetupRole }
        let audio = audioSection(
            local: local, proto: remote.proto, codecs: codecs,
            direction: MediaDirection.answering(remote.direction, wanting: direction), mid: remote.mid, setup: role,
            rtcpMux: remote.rtcpMux)
        let placeholder = SDPConnection(address: SDPConnection(address: local.address).isIPv6 ? "::" : "0.0.0.0")
        description.media = remote.sections.indices.map { index in
            index == remote.audioSectionIndex ? audio : remote.sections[index].rejected(connection: placeholder)
        }
        return description
    }

    /// `answer(to:...)` with the a=setup role as text (`passive`, `active`); anything else takes the default.
    public static func answer(
        to remote: WebRTCMediaParameters, local: LocalWebRTCParameters, codec: NegotiatedCodec,
        telephoneEvent: NegotiatedCodec?, direction: MediaDirection = .sendrecv, setup: String
    ) -> SessionDescription {
        answer(
            to: remote, local: local, codec: codec, telephoneEvent: telephoneEvent, direction: direction,
            setup: SetupRole(rawValue: setup))
    }

    /// Session level: o=, `a=ice-lite` (RFC 8839 section 5.3), the BUNDLE group and `a=msid-semantic`.
    private static func session(local: LocalWebRTCParameters, bundle: [String]) -> SessionDescription {
        var description = SessionDescription(
            parleySessionID: local.sessionID, version: local.sessionVersion, address: local.address)
        description.isICELite = true
        if !bundle.isEmpty { description.groups = [.bundle(bundle)] }
        // Written as browsers write it, with a space after the colon.
        description.addAttribute(SDPAttribute(name: "msid-semantic", value: " WMS *"))
        return description
    }

    private static func audioSection(
        local: LocalWebRTCParameters, proto: String, codecs: [NegotiatedCodec], direction: MediaDirection,
        mid: String?, setup: SetupRole, rtcpMux: Bool
    ) -> MediaDescription {
        let connection = SDPConnection(address: local.address)
        var audio = MediaDescription(type: .audio, port: local.port, proto: proto, connections: [connection])
        // RFC 3605: RTCP on the RTP port (muxed).
        audio.rtcp = RTCPAttribute(port: local.port, connection: connection)
        // RFC 8839 section 5.1, RFC 8445 section 5.1.2.1: the one host candidate, type preference 126 and the
        // highest local preference; nothing will trickle (RFC 8840 section 8.2).
        audio.addCandidate(
            ICECandidate(
                foundation: "1", component: 1, transport: "udp",
                priority: ICECandidate.priority(typePreference: 126, localPreference: 65_535, component: 1),
                address: local.address, port: local.port, type: .host))
        audio.endOfCandidates = true
        audio.iceUfrag = local.iceUfrag
        audio.icePwd = local.icePwd
        // Written raw: the certificate's own text, not re-parsed.
        audio.addAttribute(
            SDPAttribute(name: Fingerprint.attributeName, value: "\(local.fingerprintAlgorithm) \(local.fingerprint)"))
        audio.setupRole = setup
        if let mid { audio.mid = mid }
        audio.explicitDirection = direction
        // JSEP (RFC 8829) section 5.2.1: msid only for a section that sends.
        if direction.sends { audio.msid = MSID(streamID: streamID, appData: trackID) }
        audio.rtcpMux = rtcpMux
        for codec in codecs { audio.addNegotiatedCodec(codec) }
        if direction.sends { audio.addAttribute(SSRCAttribute(ssrc: local.ssrc, name: "cname", value: local.cname)) }
        return audio
    }
}
