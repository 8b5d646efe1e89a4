import SDP

/// What Parley needs from a SIP device's plain-RTP description, offer or answer, to run the device leg: where to
/// send RTP, the G.711 (or Opus) formats and the direction, including RFC 2543 hold.
public struct DeviceMediaParameters: Sendable, Equatable {
    /// The c= address of the audio section (media level over session level, RFC 8866 section 5.7), without any
    /// multicast suffix: an IPv4 or IPv6 literal, or a host name from an odd device.
    public var address: String
    /// The c= line says `IP6`.
    public var isIPv6: Bool
    /// The RTP port; never 0 (a rejected section throws).
    public var port: UInt16
    /// Where RTCP goes: `a=rtcp` (RFC 3605) when given, else RTP port + 1 (RFC 3550 section 11); nil past 65535.
    public var rtcpPort: UInt16?
    /// RFC 5761 section 5.1.1: the device offers or accepted RTP and RTCP on one port.
    public var rtcpMux: Bool
    /// `RTP/AVP` or `RTP/AVPF`; an answer repeats it.
    public var proto: String
    /// The bridgeable codecs in the device's preference order with its payload type numbers: explicit rtpmaps or
    /// the static types 0 and 8 (RFC 3551 section 6).
    public var codecs: [NegotiatedCodec]
    /// RFC 8866 section 6.4: `a=ptime`, milliseconds per packet the device wants to receive.
    public var ptime: Int?
    /// RFC 8866 section 6.7: the direction attribute as written (media over session level; sendrecv by default).
    public var direction: MediaDirection
    /// RFC 3264 section 8.4: c= `0.0.0.0` (or `::`), the RFC 2543 way to put a call on hold; nothing can be sent.
    public var isHoldByZeroAddress: Bool
    /// The first `a=ssrc` of the audio section (RFC 5576), when the device announced one.
    public var ssrc: UInt32?
    /// Every m= line of the description, in order, so that an answer can reject the others in place.
    public var sections: [MediaSectionOutline]
    /// The index in `sections` of the audio section used.
    public var audioSectionIndex: Int

    /// Takes the first m=audio section with a plain RTP profile (`RTP/AVP`, RFC 3551; or `RTP/AVPF`, RFC 4585) and
    /// a nonzero port. Throws when there is no audio, only secure profiles (SDES `RTP/SAVP` or DTLS, not spoken
    /// on the device leg), every such section is rejected, or there is no c= line for it.
    public init(parsing description: SessionDescription) throws(NegotiationError) {
        let media = description.media
        let audioIndices = media.indices.filter { media[$0].type == .audio }
        guard !audioIndices.isEmpty else { throw .noAudio("the description has no m=audio section") }
        let plainIndices = audioIndices.filter { Self.isPlainRTP(media[$0]) }
        guard !plainIndices.isEmpty else {
            throw .unsupportedProfile("no m=audio section uses plain RTP (RTP/AVP or RTP/AVPF)")
        }
        guard let index = plainIndices.first(where: { media[$0].port != 0 }) else {
            throw .rejected("the audio section is rejected (port 0)")
        }
        let audio = media[index]
        guard let connection = description.connection(of: audio) else {
            throw .missingConnection("the audio section has no c= line at media or session level")
        }

        address = connection.host
        isIPv6 = connection.isIPv6
        port = audio.port
        rtcpPort = audio.rtcp?.port ?? (audio.port < UInt16.max ? audio.port + 1 : nil)
        rtcpMux = audio.rtcpMux
        proto = audio.proto
        codecs = audio.mediaFormats.compactMap { NegotiatedCodec(format: $0) }
        ptime = audio.ptime
        direction = description.direction(of: audio)
        isHoldByZeroAddress = connection.isUnspecified
        ssrc = audio.ssrcs.first
        sections = media.map { MediaSectionOutline($0) }
        audioSectionIndex = index
    }

    /// Whether `description` has an audio section this type accepts.
    public static func hasUsableAudio(in description: SessionDescription) -> Bool {
        (try? DeviceMediaParameters(parsing: description)) != nil
    }

    /// At least one audio codec Parley bridges (telephone-event alone carries no sound).
    public var hasAudio: Bool { codecs.contains { $0.kind.isAudio } }

    /// The direction in effect from the device's side: an RFC 2543 hold (c= 0.0.0.0) leaves no address to send
    /// to, so the device receives nothing whatever the attribute says (RFC 3264 section 8.4).
    public var effectiveDirection: MediaDirection {
        isHoldByZeroAddress ? MediaDirection(sends: direction.sends, receives: false) : direction
    }

    /// The device holds the call: RFC 3264 section 8.4 `sendonly` or `inactive`, or the RFC 2543 zero address.
    public var isHold: Bool { !effectiveDirection.receives }

    /// RFC 3551 `RTP/AVP` and RFC 4585 `RTP/AVPF`. Profiles are compared case-sensitively (RFC 8866 section 5.14).
    static func isPlainRTP(_ media: MediaDescription) -> Bool {
        media.proto == "RTP/AVP" || media.proto == "RTP/AVPF"
    }
}
