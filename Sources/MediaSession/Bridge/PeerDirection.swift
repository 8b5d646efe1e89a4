/// The direction property a peer declared for its side of a stream (RFC 3264 section 5.1), seen from
/// Parley: what it will send us and what it will accept.
public struct PeerDirection: Sendable, Equatable {
    public var peerSends: Bool
    public var peerReceives: Bool

    public init(peerSends: Bool, peerReceives: Bool) {
        self.peerSends = peerSends
        self.peerReceives = peerReceives
    }

    public static let sendrecv = PeerDirection(peerSends: true, peerReceives: true)
    public static let sendonly = PeerDirection(peerSends: true, peerReceives: false)
    public static let recvonly = PeerDirection(peerSends: false, peerReceives: true)
    public static let inactive = PeerDirection(peerSends: false, peerReceives: false)
}
