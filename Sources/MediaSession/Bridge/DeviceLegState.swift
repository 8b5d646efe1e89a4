import NIOCore
import RTP

/// The device side of a session: plain RTP to the address in the device's SDP, or to where its RTP
/// really comes from when that differs (a device behind NAT; the first packet decides).
struct DeviceLegState {
    /// c= and m= port of the device's SDP.
    var signalled: SocketAddress?
    /// The source of the device's media, once seen.
    var latched: SocketAddress?
    var codecs: LegCodecs?
    var sender: RTPSender
    var received = RTPSequenceTracker()
    var remoteSSRC: UInt32?
    var eventOffset = EventTimestampMap()
    var lastSenderReport: UInt32 = 0
    var lastSenderReportArrival: NIODeadline?

    var destination: SocketAddress? { latched ?? signalled }

    var canSend: Bool { destination != nil && (codecs?.peerDirection.peerReceives ?? false) }

    /// RTP is taken from the signalled address, or from the first other source when the device sends
    /// from elsewhere (symmetric RTP, RFC 4961; a device behind NAT). The signalled address always wins;
    /// a third address is dropped.
    mutating func accepts(_ source: SocketAddress) -> Bool {
        if source == signalled {
            latched = source
            return true
        }
        if latched == nil {
            latched = source
            return true
        }
        return latched == source
    }
}
