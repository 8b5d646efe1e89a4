import NIOCore
import RTP

/// The device side of a session: plain RTP to the address in the device's SDP, or to where its RTP
/// really comes from when that differs (a device behind NAT; the first packet decides).
final class DeviceLegState {
    /// c= and m= port of the device's SDP.
    var signalled: SocketAddress?
    /// The source of the device's media, once seen.
    var latched: SocketAddress?
    /// Where RTCP goes: the next port (RFC 3550 section 11) or the a=rtcp one.
    var signalledRTCP: SocketAddress?
    /// Hosts the device's RTP may come from: its SDP address and the address its SIP came from.
    var allowedSources: Set<String> = []
    var codecs: LegCodecs?
    var sender: RTPSender
    var received = RTPSequenceTracker()
    var remoteSSRC: UInt32?
    var lastSenderReport: UInt32 = 0
    var lastSenderReportArrival: NIODeadline?

    init(sender: RTPSender) {
        self.sender = sender
    }

    var destination: SocketAddress? { latched ?? signalled }

    var canSend: Bool { destination != nil && (codecs?.peerDirection.peerReceives ?? false) }

    /// RTP is taken from the signalled address, or from the first source on one of the allowed hosts
    /// when the device sends from another port (symmetric RTP, RFC 4961; a device behind NAT, whose
    /// public address is the one its SIP came from). Anything else is dropped, so nobody can take the
    /// leg over by spraying Parley's ports (RTP bleed).
    func accepts(_ source: SocketAddress) -> Bool {
        if source == signalled {
            latched = source
            return true
        }
        if let latched { return latched == source }
        guard let host = source.ipAddress, allowedSources.contains(host) else { return false }
        latched = source
        return true
    }

    /// RTCP from the device's hosts is read without moving the latch.
    func acceptsControl(from source: SocketAddress) -> Bool {
        if source == latched || source == signalled { return true }
        guard let host = source.ipAddress else { return false }
        return allowedSources.contains(host)
    }

    /// RTCP goes where the SDP says while media comes from there. With rtcp-mux (RTCP on the RTP
    /// address) it follows the media; otherwise a device behind NAT gets none, as its RTCP port mapping
    /// is unknown.
    var rtcpDestination: SocketAddress? {
        if let signalledRTCP, signalledRTCP == signalled { return destination }
        guard latched == nil || latched == signalled else { return nil }
        return signalledRTCP
    }
}
