import SDP

extension PeerDirection {
    /// From the direction attribute the peer wrote (RFC 3264 section 5.1, its own point of view).
    public init(_ direction: MediaDirection) {
        self.init(peerSends: direction.sends, peerReceives: direction.receives)
    }
}
