/// What kind of endpoint a call leg has: a browser speaking WebRTC (over WS/WSS, DTLS-SRTP) or a
/// device speaking plain RTP (over UDP/TCP/TLS).
public enum MediaLegKind: Sendable, Hashable {
    case web
    case device
}
