/// Parley's side of one web leg: the media address and port of its single host candidate, its ICE credentials,
/// its DTLS certificate fingerprint and its RTP source.
public struct LocalWebRTCParameters: Sendable, Equatable {
    /// The media IP (`--media-ip`), IPv4 or IPv6 literal.
    public var address: String
    /// The web leg's UDP port: RTP, RTCP (muxed), STUN and DTLS all arrive on it (RFC 7983).
    public var port: UInt16
    /// RFC 8839 section 5.4: at least 4 and 22 ice-chars (`A-Z a-z 0-9 + /`) respectively.
    public var iceUfrag: String
    public var icePwd: String
    /// RFC 8122 section 5 hash function name, lowercase, e.g. `sha-256`.
    public var fingerprintAlgorithm: String
    /// The certificate digest as uppercase colon-separated hex, `AB:CD:...`.
    public var fingerprint: String
    /// The o= session id and version (RFC 8866 section 5.2; RFC 3264 section 8: the version grows with each
    /// new offer or answer in the session).
    public var sessionID: UInt64
    public var sessionVersion: UInt64
    /// The SSRC Parley sends with on this leg (RFC 5576 `a=ssrc`).
    public var ssrc: UInt32
    /// RFC 7022 RTCP CNAME; must contain no spaces.
    public var cname: String

    public init(
        address: String, port: UInt16, iceUfrag: String, icePwd: String, fingerprintAlgorithm: String = "sha-256",
        fingerprint: String, sessionID: UInt64, sessionVersion: UInt64, ssrc: UInt32, cname: String
    ) {
        self.address = address
        self.port = port
        self.iceUfrag = iceUfrag
        self.icePwd = icePwd
        self.fingerprintAlgorithm = fingerprintAlgorithm
        self.fingerprint = fingerprint
        self.sessionID = sessionID
        self.sessionVersion = sessionVersion
        self.ssrc = ssrc
        self.cname = cname
    }
}
