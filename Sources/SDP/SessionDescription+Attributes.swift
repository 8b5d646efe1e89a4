extension SessionDescription {
    /// RFC 8839 section 5.3: `a=ice-lite`, a session-level flag.
    public var isICELite: Bool {
        get { hasAttribute(named: "ice-lite") }
        set { setFlag("ice-lite", newValue) }
    }

    /// RFC 5888 section 5: `a=group` lines.
    public var groups: [SDPGroup] {
        get { typedAttributes(SDPGroup.self) }
        set { replaceAttributes(named: SDPGroup.attributeName, with: newValue.map(\.attribute)) }
    }

    /// RFC 9143: the first `BUNDLE` group.
    public var bundleGroup: SDPGroup? { groups.first { $0.isBundle } }

    /// RFC 8866 section 5.7: a section's first c= line, or the session's when it has none.
    public func connection(of media: MediaDescription) -> SDPConnection? {
        media.connections.first ?? connection
    }

    /// RFC 8866 section 6.7: the media-level direction, else the session-level one, else sendrecv.
    public func direction(of media: MediaDescription) -> MediaDirection {
        media.explicitDirection ?? explicitDirection ?? .sendrecv
    }

    /// RFC 8843/8839: ICE credentials and DTLS fingerprints may sit at session level and are inherited by sections.
    public func iceCredentials(of media: MediaDescription) -> (ufrag: String, pwd: String)? {
        guard let ufrag = media.iceUfrag ?? iceUfrag, let pwd = media.icePwd ?? icePwd else { return nil }
        return (ufrag, pwd)
    }

    /// The section's fingerprints, or the session's when it has none (RFC 8122 section 5).
    public func fingerprints(of media: MediaDescription) -> [Fingerprint] {
        let own = media.fingerprints
        return own.isEmpty ? fingerprints : own
    }

    /// The section's setup role, or the session's (RFC 4145 section 4).
    public func setupRole(of media: MediaDescription) -> SetupRole? {
        media.setupRole ?? setupRole
    }

    /// The media section with this mid.
    public func media(withMID mid: String) -> MediaDescription? {
        media.first { $0.mid == mid }
    }
}
