/// The two sides of an anchored call: the browser's WebRTC leg (ICE-lite, DTLS-SRTP) and the device's
/// plain RTP leg.
public enum MediaLegSide: Sendable, Hashable {
    case web
    case device

    public var other: MediaLegSide { self == .web ? .device : .web }
}
