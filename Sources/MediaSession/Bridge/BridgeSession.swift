import DTLS
import ICELite
import NIOCore
import RTP
import SRTP

/// Where a session's packets go: the leg, the peer's address, and the bytes (valid during the call).
public typealias MediaSend = (MediaLegSide, SocketAddress, UnsafeRawBufferPointer) -> Void

/// One anchored call branch (DESIGN.md `MediaSession`): a browser's WebRTC leg bridged to a device's
/// plain RTP leg. Sans-IO: datagrams, ticks and time come in; datagrams go out through `send`.
///
/// Web to device: STUN answered by ICE-lite, DTLS keys SRTP, SRTP unprotected, Opus decoded straight to
/// 8 kHz, G.711 out. Device to web: G.711 decoded, Opus encoded from 8 kHz and stamped on the 48 kHz
/// clock (RFC 7587), SRTP protected. When both legs carry the same codec, packets are relayed without
/// transcoding. One owner (the runtime's driver on one event loop); not thread-safe.
public final class BridgeSession {
    public let settings: BridgeSettings
    public internal(set) var statistics = BridgeStatistics()
    /// Set once media failed for good; the runtime ends the session.
    public internal(set) var failure: MediaFailure?
    /// The last packet accepted from either leg (media, RTCP, or an ICE check that passed); the
    /// runtime's idle timeout reads it.
    public internal(set) var lastActivity: NIODeadline?

    let web: WebLegState
    let device: DeviceLegState
    var webToDevice: TranscodingPath?
    var deviceToWeb: TranscodingPath?
    public internal(set) var isPassThrough = false
    let scratch = PacketScratch()
    var nextReport: NIODeadline?

    /// `webSSRC` is the SSRC announced in the browser's SDP (`a=ssrc`), so its track maps to the stream.
    public init<G: RandomNumberGenerator>(
        settings: BridgeSettings, webCredentials: ICECredentials, webSSRC: UInt32, using generator: inout G
    ) {
        self.settings = settings
        web = WebLegState(
            ice: ICELiteAgent(local: webCredentials, remote: nil), sender: RTPSender(ssrc: webSSRC, using: &generator))
        device = DeviceLegState(sender: RTPSender(using: &generator))
    }

    /// The browser's parameters from its offer or answer. A DTLS endpoint is given once, with the
    /// role and the browser's fingerprint from its SDP (RFC 8842); later calls (re-INVITE) keep it.
    public func configureWeb(
        remoteICE: ICECredentials, dtls: (any DTLSEndpoint)?, codecs: LegCodecs, now: NIODeadline
    ) throws(MediaSessionError) {
        web.ice.setRemote(remoteICE)
        if let dtls, web.dtls == nil { web.dtls = dtls }
        if web.codecs?.audio != codecs.audio { web.sender.restartRelay() }
        web.codecs = codecs
        try rebuildPaths()
    }

    /// An ICE restart (RFC 8445 section 9): new credentials on both sides, DTLS and SRTP stay.
    public func restartICE(local: ICECredentials, remote: ICECredentials) {
        web.ice.restart(local: local, remote: remote)
        web.consentLost = false
        if failure == .consentExpired { failure = nil }
    }

    /// The device's parameters from its offer or answer: where it wants RTP and RTCP (nil: on hold, or
    /// no RTCP), the hosts its RTP may come from, and what it carries.
    public func configureDevice(
        address: SocketAddress?, rtcpAddress: SocketAddress? = nil, allowedSources: Set<String> = [],
        codecs: LegCodecs
    ) throws(MediaSessionError) {
        if device.signalled != address {
            device.signalled = address
            device.latched = nil
        }
        device.signalledRTCP = rtcpAddress
        device.allowedSources = allowedSources
        if device.codecs?.audio != codecs.audio { device.sender.restartRelay() }
        device.codecs = codecs
        try rebuildPaths()
    }

    public var isDTLSConnected: Bool { web.outbound != nil }
    public var hasDTLSEndpoint: Bool { web.dtls != nil }
    public var webDestination: SocketAddress? { web.destination }
    public var deviceDestination: SocketAddress? { device.destination }

    /// Transcoding paths follow the codecs: none when both legs carry the same one; rebuilt only when a
    /// codec changes, so a re-INVITE for hold keeps the decoder state.
    private func rebuildPaths() throws(MediaSessionError) {
        guard let webCodecs = web.codecs, let deviceCodecs = device.codecs else { return }
        let webKind = webCodecs.audio.kind
        let deviceKind = deviceCodecs.audio.kind
        isPassThrough = webKind == deviceKind
        if isPassThrough {
            webToDevice = nil
            deviceToWeb = nil
            return
        }
        do {
            if webToDevice?.sourceKind != webKind || webToDevice?.targetKind != deviceKind {
                webToDevice = try TranscodingPath(
                    from: webKind, to: deviceKind, opusSettings: settings.opus, jitter: makeJitterBuffer())
            }
            if deviceToWeb?.sourceKind != deviceKind || deviceToWeb?.targetKind != webKind {
                deviceToWeb = try TranscodingPath(
                    from: deviceKind, to: webKind, opusSettings: settings.opus, jitter: makeJitterBuffer())
            }
        } catch {
            throw MediaSessionError.codecUnavailable("\(error)")
        }
    }

    private func makeJitterBuffer() -> JitterBuffer {
        JitterBuffer(minimumDepth: settings.jitterMinimumFrames, maximumDepth: settings.jitterMaximumFrames)
    }
}
