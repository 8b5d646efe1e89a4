import DTLS
import ICELite
import NIOCore

/// What signalling settled for one call's media: where Parley's two legs are, the web leg's ICE and DTLS
/// parameters from Parley's answer, and the payload types each side sends with.
struct CallMediaPlan: Sendable {
    /// Parley's web-leg port (its one host candidate) and device-leg port (the c=/m= of its INVITE to
    /// the device).
    var parleyWeb: SocketAddress
    var parleyDevice: SocketAddress
    /// Ours, as offered, and Parley's, from its answer (RFC 8445 section 7.2.2: USERNAME is
    /// "parley:ours" in our checks, MESSAGE-INTEGRITY keyed with Parley's password).
    var localICE: ICECredentials
    var parleyICE: ICECredentials
    /// Parley's certificate must hash to this (RFC 8122 section 5).
    var parleyFingerprint: DTLSFingerprint
    /// The web codec Parley chose from the offer, with the offer's payload type.
    var webCodec: WebCodecChoice
    var webPayloadType: UInt8
    /// The web side's RTP source, as announced in the offer's `a=ssrc` (RFC 5576).
    var webSSRC: UInt32
    /// PCMU's payload type in Parley's offer to the device (RFC 3264 section 6.1: the answer keeps it).
    var devicePayloadType: UInt8
}

/// The client's two UDP ports of one call.
struct LocalMediaPorts: Sendable {
    var web: Int
    var device: Int
}
