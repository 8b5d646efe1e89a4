import SIPServices

/// A forwarded INVITE or UPDATE whose SDP offer the media anchor rewrote: the answer in its response
/// is rewritten too, from the leg it went to.
struct MediaBranch {
    var key: MediaAnchorKey
    var answerFrom: MediaLegKind
    /// The INVITE that set the session up (not a re-INVITE): its failure frees the session.
    var isInitial: Bool
    var established = false
    /// An INVITE without SDP (RFC 3264 section 5 delayed offer): the offer comes in the 2xx, from the
    /// leg the INVITE went to, and the answer in the ACK.
    var offerInResponse = false
    /// The 2xx's offer as rewritten, for its retransmissions.
    var rewrittenResponseOffer: String?
}
