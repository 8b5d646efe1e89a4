/// What a leg was negotiated to carry: its audio codec and its telephone-event format (RFC 4733), with
/// the peer's payload type numbers (RFC 3264 section 6.1), and the direction the peer declared.
public struct LegCodecs: Sendable, Equatable {
    public var audio: NegotiatedCodec
    public var telephoneEvent: NegotiatedCodec?
    /// The peer's own direction (`sendonly` when it puts us on hold).
    public var peerDirection: PeerDirection

    public init(audio: NegotiatedCodec, telephoneEvent: NegotiatedCodec?, peerDirection: PeerDirection) {
        self.audio = audio
        self.telephoneEvent = telephoneEvent
        self.peerDirection = peerDirection
    }

    /// Samples of this leg's RTP clock in 20 ms (RFC 7587 section 4.1: Opus always counts at 48 kHz).
    var samplesPer20ms: UInt32 { UInt32(audio.clockRate / 50) }
}
