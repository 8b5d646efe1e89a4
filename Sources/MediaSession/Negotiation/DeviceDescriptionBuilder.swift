import SDP

/// Writes Parley's descriptions for the device leg: plain RTP (`RTP/AVP`, RFC 3551) on one port, no ICE, no
/// encryption, no `a=rtcp-mux` (old devices misread it); the c= line at session level as devices write it.
public enum DeviceDescriptionBuilder {
    /// An offer to a device. `ptime` (RFC 8866 section 6.4) is the packetization Parley sends and would like back.
    public static func offer(
        local: LocalDeviceParameters, codecs: [NegotiatedCodec] = NegotiatedCodec.defaultDeviceOffer,
        direction: MediaDirection = .sendrecv, ptime: Int? = 20
    ) -> SessionDescription {
        var description = session(local: local)
        description.media = [
            audioSection(local: local, proto: "RTP/AVP", codecs: codecs, direction: direction, ptime: ptime)
        ]
        return description
    }

    /// The answer to a device's offer.
    ///
    /// - RFC 3264 section 6: one m= line per offered one, in order; only the audio section is accepted, the others
    ///   (video, T.38...) are rejected with port 0.
    /// - RFC 3264 section 6.1: `codec` and `telephoneEvent` are written with the offer's payload type numbers, and
    ///   the direction is `MediaDirection.answering(remote.effectiveDirection, wanting: direction)`, so an RFC 2543
    ///   hold (c= 0.0.0.0) is answered like `sendonly`.
    public static func answer(
        to remote: DeviceMediaParameters, local: LocalDeviceParameters, codec: NegotiatedCodec,
        telephoneEvent: NegotiatedCodec?, direction: MediaDirection = .sendrecv, ptime: Int? = 20
    ) -> SessionDescription {
        var description = session(local: local)
        var codecs = [codec.answering(remote.codecs)]
        if let telephoneEvent { codecs.append(telephoneEvent.answering(remote.codecs)) }
        let audio = audioSection(
            local: local, proto: remote.proto, codecs: codecs,
            direction: MediaDirection.answering(remote.effectiveDirection, wanting: direction), ptime: ptime)
        description.media = remote.sections.indices.map { index in
            index == remote.audioSectionIndex ? audio : remote.sections[index].rejected()
        }
        return description
    }

    /// o=, s=, the session-level c= and t= (RFC 8866 section 5).
    private static func session(local: LocalDeviceParameters) -> SessionDescription {
        var description = SessionDescription(
            parleySessionID: local.sessionID, version: local.sessionVersion, address: local.address)
        description.connection = SDPConnection(address: local.address)
        return description
    }

    private static func audioSection(
        local: LocalDeviceParameters, proto: String, codecs: [NegotiatedCodec], direction: MediaDirection,
        ptime: Int?
    ) -> MediaDescription {
        var audio = MediaDescription(type: .audio, port: local.port, proto: proto)
        for codec in codecs { audio.addNegotiatedCodec(codec) }
        if let ptime { audio.ptime = ptime }
        // Written even for sendrecv: RFC 3264 section 8.4 devices compare it when taking a call off hold.
        audio.explicitDirection = direction
        return audio
    }
}
