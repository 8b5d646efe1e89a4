import DTLS
import ICELite
import NIOCore
import RTP
import SRTP

/// The browser side of a session: ICE-lite checks, the DTLS handshake that keys SRTP, and the SRTP
/// contexts of each direction. A class, so that the per-packet path reaches into it without copying it.
final class WebLegState {
    var ice: ICELiteAgent
    var dtls: (any DTLSEndpoint)?
    var dtlsStarted = false
    /// Where DTLS came from before an address was nominated (the handshake can beat USE-CANDIDATE).
    var dtlsPeer: SocketAddress?
    var inbound: SRTPContext?
    var outbound: SRTPContext?
    var codecs: LegCodecs?
    var sender: RTPSender
    var received = RTPSequenceTracker()
    var remoteSSRC: UInt32?
    var lastSenderReport: UInt32 = 0
    var lastSenderReportArrival: NIODeadline?
    var consentLost = false

    init(ice: ICELiteAgent, sender: RTPSender) {
        self.ice = ice
        self.sender = sender
    }

    /// The address media goes to: the nominated pair, else the address DTLS runs on.
    var destination: SocketAddress? { ice.selectedAddress ?? dtlsPeer }

    var canSend: Bool {
        outbound != nil && !consentLost && destination != nil && (codecs?.peerDirection.peerReceives ?? false)
    }
}
