/// What the media anchor made of an SDP body passing through the proxy.
public enum MediaAnchorResult: Sendable, Equatable {
    /// Forward this SDP instead of the original.
    case rewritten(String)
    /// Nothing to anchor (both legs of one kind, no audio): forward the body unchanged.
    case unchanged
    /// The SDP cannot be bridged: answer 488 Not Acceptable Here with this reason (RFC 3261 section
    /// 21.4.26), or end the branch.
    case rejected(String)
}
