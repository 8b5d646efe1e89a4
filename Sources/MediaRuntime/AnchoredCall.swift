import DTLS
import ICELite
import MediaSession
import NIOCore

/// The SIP loop's record of one anchored call branch: its ports, Parley's ICE credentials and SDP
/// versions on each leg, and the offer waiting for its answer. The media itself runs in the
/// MediaSessionDriver on `loop`.
struct AnchoredCall {
    enum PendingOffer {
        case fromWeb(WebRTCMediaParameters)
        case fromDevice(DeviceMediaParameters)
    }

    let id: UInt64
    let loop: MediaIOLoop
    let webPort: UInt16
    let devicePort: UInt16
    var localICE: ICECredentials
    let webSSRC: UInt32
    let sessionID: UInt64
    /// RFC 3264 section 8: each new description on a leg has the next o= version.
    var webVersion: UInt64 = 0
    var deviceVersion: UInt64 = 0
    var pendingOffer: PendingOffer?
    var lastWeb: WebRTCMediaParameters?
    /// The answer last rewritten, so that a 2xx retransmission (or a 200 repeating its 183) gets the same.
    var lastAnswerIn: String?
    var lastAnswerOut: String?
    /// Parley's DTLS role once negotiated; answers to later offers keep it (RFC 8842 section 5.5).
    var dtlsRole: DTLSRole?
    /// Where the device's SIP came from: its RTP may come from there too (NAT).
    var deviceSignallingHost: String?
}
