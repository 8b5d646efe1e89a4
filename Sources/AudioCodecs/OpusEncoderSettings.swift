/// How the bridge's Opus encoder runs. Defaults suit narrowband telephone audio (8 kHz G.711 in) sent to a
/// browser over a network that may drop packets.
public struct OpusEncoderSettings: Sendable, Hashable {
    /// `OPUS_AUTO`: let libopus choose the bitrate from the rate, channels and frame size.
    public static let automaticBitrate: Int32 = -1000

    /// 0 (fastest) to 10 (best). 5 keeps a per-call encoder cheap; narrowband SILK gains little above it.
    public var complexity: Int32
    /// Target bits per second, or `automaticBitrate`. 24 kbit/s leaves narrowband SILK room for its
    /// in-band FEC (the LBRR copy of the previous frame) on top of transparent speech; libopus clamps
    /// values outside 500...300000.
    public var bitrate: Int32
    /// Carry a low-rate copy of each frame in the next packet (RFC 6716 section 2.1.7), so one lost packet
    /// can be rebuilt by `OpusDecoder.decodeFEC`. Needs `expectedPacketLossPercent` above 0.
    public var inbandFEC: Bool
    /// 0-100; how much redundancy the encoder spends on FEC.
    public var expectedPacketLossPercent: Int32
    /// Discontinuous transmission: in silence the encoder emits 1-2 byte packets that need not be sent
    /// (RFC 7587 section 3.1.3).
    public var dtx: Bool

    public init(
        complexity: Int32 = 5, bitrate: Int32 = 24000, inbandFEC: Bool = true,
        expectedPacketLossPercent: Int32 = 10, dtx: Bool = false
    ) {
        self.complexity = complexity
        self.bitrate = bitrate
        self.inbandFEC = inbandFEC
        self.expectedPacketLossPercent = expectedPacketLossPercent
        self.dtx = dtx
    }
}
