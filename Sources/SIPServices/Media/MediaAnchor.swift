/// Media anchoring for calls between the web and devices (DESIGN.md "Flows"). The proxy hands every
/// SDP offer and answer that crosses from one kind of leg to the other to the anchor, which puts its
/// own addresses in (ICE-lite, DTLS fingerprint and Opus toward the browser; plain RTP and G.711 toward
/// the device). Called on the SIP loop; implementations must answer synchronously.
public protocol MediaAnchor: AnyObject {
    /// An offer from a leg of kind `from` on branch `key` (an INVITE, re-INVITE or UPDATE body).
    /// `isInitial` is false for an offer inside an established dialog, which needs its session to exist.
    /// `signallingHost` is the address the SDP's SIP message came from: a device's RTP is expected
    /// from there or from its SDP address, and from nowhere else.
    func offer(
        _ sdp: String, key: MediaAnchorKey, from: MediaLegKind, isInitial: Bool, signallingHost: String
    ) -> MediaAnchorResult
    /// The answer to the last offer on `key`, from the other leg (a 18x/2xx body).
    func answer(_ sdp: String, key: MediaAnchorKey, from: MediaLegKind, signallingHost: String) -> MediaAnchorResult
    /// The branch ended (final non-2xx, CANCEL, BYE, timeout): its ports are freed.
    func release(_ key: MediaAnchorKey)
    /// Sessions alive now (for tests and the status page).
    var activeSessionCount: Int { get }
}
