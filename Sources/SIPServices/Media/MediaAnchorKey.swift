/// One anchored call branch: the Call-ID and the branch Parley forked it on (DESIGN.md: one media
/// session per call branch, the rtpengine model). In-dialog offers find it again by their dialog.
public struct MediaAnchorKey: Sendable, Hashable, CustomStringConvertible {
    public var callID: String
    public var branch: String

    public init(callID: String, branch: String) {
        self.callID = callID
        self.branch = branch
    }

    public var description: String { "\(callID)/\(branch)" }
}
