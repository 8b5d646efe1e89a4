import SDP

/// What Parley needs from a browser's (or any WebRTC peer's) description, offer or answer, to run the web leg:
/// ICE credentials, the DTLS fingerprint and role, the audio codecs and direction.
///
/// Parley is an ICE-lite agent (RFC 8445 section 2.5): it learns the peer's address from the connectivity checks,
/// so the candidates and the c= address are informational.
public struct WebRTCMediaParameters: Sendable, Equatable {
    /// RFC 8839 section 5.4, from the audio section or the session.
    public var iceUfrag: String
    public var icePwd: String
    /// RFC 8839 section 5.6, e.g. `trickle`.
    public var iceOptions: [String]
    /// The peer is itself ICE-lite (RFC 8839 section 5.3); browsers never are.
    public var isICELite: Bool
    /// RFC 8839 section 5.1, in order; learned addresses come from checks, these are for logs and diagnostics.
    public var candidates: [ICECandidate]
    /// RFC 8840 section 8.2: the peer will trickle no more candidates.
    public var endOfCandidates: Bool
    /// The fingerprint to verify the peer's certificate against: sha-256 when offered, else the strongest
    /// other one Parley can compute (RFC 8122 section 5: any one of several may be used).
    public var fingerprint: Fingerprint
    /// Every fingerprint the peer wrote for the section.
    public var fingerprints: [Fingerprint]
    /// RFC 8842 section 5: the peer's `a=setup`, nil when it wrote none.
    public var setupRole: SetupRole?
    /// RFC 5888 section 4: the audio section's `a=mid`.
    public var mid: String?
    /// The audio section's mid is in a BUNDLE group (RFC 9143), so the answer must group it too.
    public var isBundled: Bool
    /// RFC 5761 section 5.1.1: RTP and RTCP share the port.
    public var rtcpMux: Bool
    /// RFC 8866 section 6.7, media level over session level, sendrecv by default. The peer's view.
    public var direction: MediaDirection
    /// The bridgeable codecs of the audio section in the peer's preference order, with its payload type numbers.
    public var codecs: [NegotiatedCodec]
    /// The profile, e.g. `UDP/TLS/RTP/SAVPF`; an answer repeats it.
    public var proto: String
    /// The c= address of the section carrying the transport; often `0.0.0.0` with port 9 (RFC 8839 section 4.2.4).
    public var remoteAddress: String?
    public var remotePort: UInt16
    /// The first `a=ssrc` of the audio section (RFC 5576), when the peer announced one.
    public var ssrc: UInt32?
    /// Every m= line of the description, in order, so that an answer can reject the others in place.
    public var sections: [MediaSectionOutline]
    /// The index in `sections` of the audio section used.
    public var audioSectionIndex: Int

    /// Takes the first m=audio section with a UDP DTLS-SRTP profile (`UDP/TLS/RTP/SAVPF` or `.../SAVP`, RFC 5764
    /// section 8) and a nonzero port, or a port-0 `a=bundle-only` section riding on its BUNDLE group's transport
    /// (RFC 9143 section 7.2).
    ///
    /// Throws when there is no audio, no DTLS profile, every such section is rejected, or the ICE credentials or
    /// the fingerprint are missing: without them no connectivity check or DTLS handshake can be verified.
    public init(parsing description: SessionDescription) throws(NegotiationError) {
        let media = description.media
        let audioIndices = media.indices.filter { media[$0].type == .audio }
        guard !audioIndices.isEmpty else { throw .noAudio("the description has no m=audio section") }
        let dtlsIndices = audioIndices.filter { Self.isDTLSRTP(media[$0]) }
        guard !dtlsIndices.isEmpty else {
            throw .unsupportedProfile("no m=audio section uses DTLS-SRTP over UDP (UDP/TLS/RTP/SAVPF)")
        }
        var selection: (audio: Int, transport: Int)?
        for index in dtlsIndices {
            if media[index].port != 0 {
                selection = (index, index)
                break
            }
            if let transport = Self.bundleTransport(of: media[index], in: description) {
                selection = (index, transport)
                break
            }
        }
        guard let found = selection else { throw .rejected("the DTLS-SRTP audio section is rejected (port 0)") }
        let audio = media[found.audio]
        let transport = media[found.transport]

        guard let credentials = description.iceCredentials(of: transport) ?? description.iceCredentials(of: audio)
        else { throw .missingICECredentials("the audio section has no a=ice-ufrag and a=ice-pwd") }
        var fingerprints = description.fingerprints(of: transport)
        if fingerprints.isEmpty { fingerprints = description.fingerprints(of: audio) }
        guard !fingerprints.isEmpty else { throw .missingFingerprint("the audio section has no a=fingerprint") }
        guard let fingerprint = Self.preferredFingerprint(fingerprints) else {
            throw .missingFingerprint("no a=fingerprint uses sha-256, sha-384, sha-512 or sha-1")
        }

        iceUfrag = credentials.ufrag
        icePwd = credentials.pwd
        iceOptions = transport.iceOptions.isEmpty ? description.iceOptions : transport.iceOptions
        isICELite = description.isICELite
        candidates = transport.candidates
        endOfCandidates = transport.endOfCandidates || description.hasAttribute(named: "end-of-candidates")
        self.fingerprint = fingerprint
        self.fingerprints = fingerprints
        setupRole = description.setupRole(of: transport) ?? description.setupRole(of: audio)
        mid = audio.mid
        isBundled = audio.mid.map { description.isBundled(mid: $0) } ?? false
        rtcpMux = audio.rtcpMux || transport.rtcpMux
        direction = description.direction(of: audio)
        codecs = audio.mediaFormats.compactMap { NegotiatedCodec(format: $0) }
        proto = audio.proto
        remoteAddress = description.connection(of: transport)?.host
        remotePort = transport.port
        ssrc = audio.ssrcs.first
        sections = media.map { MediaSectionOutline($0) }
        audioSectionIndex = found.audio
    }

    /// Whether `description` has an audio section this type accepts.
    public static func hasUsableAudio(in description: SessionDescription) -> Bool {
        (try? WebRTCMediaParameters(parsing: description)) != nil
    }

    /// At least one audio codec Parley bridges (telephone-event alone carries no sound).
    public var hasAudio: Bool { codecs.contains { $0.kind.isAudio } }

    /// The peer's `a=setup` value as text, e.g. `actpass`.
    public var setup: String? { setupRole?.rawValue }

    /// RFC 8839 section 4.4.1.1.1: a changed ufrag or password restarts ICE; the agent forgets its checks and
    /// validated pairs for this peer.
    public func isICERestart(comparedTo previous: WebRTCMediaParameters) -> Bool {
        iceUfrag != previous.iceUfrag || icePwd != previous.icePwd
    }

    /// Whether the peer opens the DTLS association (is the DTLS client, RFC 8842 section 5). An offer's `actpass`
    /// is answered `passive` by Parley, so the peer is the client; so is a peer that says `active`, or writes no
    /// a=setup (RFC 4145 section 4: the default in an offer is `active`). A `passive` peer makes Parley the client.
    public var remoteIsDTLSClient: Bool { setupRole != .passive && setupRole != .holdconn }

    /// The `a=setup` for Parley's answer to this description (RFC 8842 section 5.3: never `actpass` in an answer).
    /// `passive` whenever allowed: the browser, the controlling ICE agent, then starts DTLS as soon as a pair
    /// works, as it does with rtpengine and Janus.
    public var answerSetupRole: SetupRole { remoteIsDTLSClient ? .passive : .active }

    /// RFC 5764 section 8 profiles over UDP: `UDP/TLS/RTP/SAVP` and `UDP/TLS/RTP/SAVPF` (RFC 5764 section 9).
    /// TCP (`TCP/DTLS/RTP/SAVPF`) is not served by the media ports.
    static func isDTLSRTP(_ media: MediaDescription) -> Bool {
        media.usesDTLS && media.isRTP && media.proto.hasPrefix("UDP/")
    }

    /// RFC 9143 section 7.2: a `bundle-only` section has port 0 and uses the transport of the offerer-tagged
    /// section, the first mid of its BUNDLE group.
    static func bundleTransport(of media: MediaDescription, in description: SessionDescription) -> Int? {
        guard media.hasAttribute(named: "bundle-only"), let mid = media.mid,
            let group = description.groups.first(where: { $0.isBundle && $0.mids.contains(mid) }),
            let tag = group.mids.first,
            let index = description.media.firstIndex(where: { $0.mid == tag }),
            description.media[index].port != 0, isDTLSRTP(description.media[index])
        else { return nil }
        return index
    }

    /// sha-256 first (what every browser writes), then the longer SHA-2 digests, then sha-1. MD2 and MD5 are not
    /// accepted (RFC 8122 section 5 forbids them for new fingerprints).
    static func preferredFingerprint(_ fingerprints: [Fingerprint]) -> Fingerprint? {
        for name in ["sha-256", "sha-384", "sha-512", "sha-1"] {
            if let fingerprint = fingerprints.first(where: { $0.hashFunction == name }) { return fingerprint }
        }
        return nil
    }
}
