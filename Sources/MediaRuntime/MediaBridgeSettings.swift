import MediaSession
import NIOCore

/// How Parley anchors media: the address put into SDP, the port range, the codec policy, and what each
/// session shares.
public struct MediaBridgeSettings: Sendable {
    /// `--media-ip`: the address in c= and in the ICE candidate; sockets bind to it.
    public var mediaIP: String
    public var ports: ClosedRange<UInt16>
    public var codecPolicy: CodecPolicy
    public var session: BridgeSettings
    /// A session whose legs have both been silent this long is ended (its ports freed).
    public var idleTimeout: TimeAmount

    public init(
        mediaIP: String, ports: ClosedRange<UInt16>, codecPolicy: CodecPolicy = .transcodeToOpus,
        session: BridgeSettings = BridgeSettings(), idleTimeout: TimeAmount = .seconds(60)
    ) {
        self.mediaIP = mediaIP
        self.ports = ports
        self.codecPolicy = codecPolicy
        self.session = session
        self.idleTimeout = idleTimeout
    }
}
