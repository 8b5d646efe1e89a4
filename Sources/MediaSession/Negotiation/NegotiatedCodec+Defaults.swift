extension NegotiatedCodec {
    /// `opus/48000/2` on Chrome's payload type. RFC 7587 section 7: `minptime=10` and `useinbandfec=1` ask for
    /// 10 ms minimum frames and in-band FEC, as browsers do.
    public static let opus = NegotiatedCodec(
        payloadType: 111, kind: .opus, clockRate: 48_000, channels: 2, formatParameters: "minptime=10;useinbandfec=1")

    /// RFC 3551 static payload type 0.
    public static let pcmu = NegotiatedCodec(payloadType: 0, kind: .pcmu, clockRate: 8_000)

    /// RFC 3551 static payload type 8.
    public static let pcma = NegotiatedCodec(payloadType: 8, kind: .pcma, clockRate: 8_000)

    /// RFC 4733 events at Opus's clock rate; `0-16` are DTMF 0-9, *, #, A-D and flash (section 3.2).
    public static let telephoneEvent48000 = NegotiatedCodec(
        payloadType: 110, kind: .telephoneEvent, clockRate: 48_000, formatParameters: "0-16")

    /// RFC 4733 events at G.711's clock rate, on the payload type most devices use.
    public static let telephoneEvent8000 = NegotiatedCodec(
        payloadType: 101, kind: .telephoneEvent, clockRate: 8_000, formatParameters: "0-16")

    /// What Parley offers a browser: Opus first, G.711 for pass-through, an event format for each clock rate.
    public static let defaultWebOffer: [NegotiatedCodec] = [
        .opus, .pcmu, .pcma, .telephoneEvent48000, .telephoneEvent8000,
    ]

    /// What Parley offers a device: G.711 and 8 kHz events.
    public static let defaultDeviceOffer: [NegotiatedCodec] = [.pcmu, .pcma, .telephoneEvent8000]
}
