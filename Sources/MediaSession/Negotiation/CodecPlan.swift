/// Chooses the codec of each leg of a bridge from what the browser and the device support.
///
/// The bridge either relays (the same codec on both legs: only payload types, SSRCs and SRTP change) or
/// transcodes, and then the web leg is always Opus and the device leg always G.711: a `Choice` with
/// `isPassThrough == false` has `webCodec.kind == .opus` and `deviceCodec.kind.isG711`.
public enum CodecPlan {
    /// The codecs of one bridge, each with the payload type numbering of the list it was chosen from.
    public struct Choice: Sendable, Equatable {
        public var webCodec: NegotiatedCodec
        public var deviceCodec: NegotiatedCodec
        /// RFC 4733 events on the web leg, at the web codec's clock rate when the browser has that.
        public var webTelephoneEvent: NegotiatedCodec?
        /// RFC 4733 events on the device leg, at the device codec's clock rate when the device has that.
        public var deviceTelephoneEvent: NegotiatedCodec?
        /// Both legs use the same codec and clock rate.
        public var isPassThrough: Bool

        public init(
            webCodec: NegotiatedCodec, deviceCodec: NegotiatedCodec, webTelephoneEvent: NegotiatedCodec? = nil,
            deviceTelephoneEvent: NegotiatedCodec? = nil, isPassThrough: Bool
        ) {
            self.webCodec = webCodec
            self.deviceCodec = deviceCodec
            self.webTelephoneEvent = webTelephoneEvent
            self.deviceTelephoneEvent = deviceTelephoneEvent
            self.isPassThrough = isPassThrough
        }
    }

    /// The codecs for a bridge between a browser offering or answering `web` and a device offering or answering
    /// `device`, each in its own preference order. Nil when no pair works: the call is answered 488.
    ///
    /// - `.transcodeToOpus`: Opus to the browser whenever it has it, with the device's first G.711 (or Opus relayed
    ///   when the device has no G.711). Without Opus in the browser, the device's first G.711 the browser also has
    ///   is relayed.
    /// - `.preferPassThrough`: the device's first audio codec the browser also has is relayed; failing that, Opus
    ///   to the browser and the device's first G.711.
    public static func choose(web: [NegotiatedCodec], device: [NegotiatedCodec], policy: CodecPolicy) -> Choice? {
        let webOpus = web.first { $0.kind == .opus }
        let deviceG711 = device.first { $0.kind.isG711 }
        switch policy {
        case .transcodeToOpus:
            if let webOpus {
                if let deviceG711 {
                    return transcoded(webOpus: webOpus, deviceCodec: deviceG711, web: web, device: device)
                }
                return passThrough(web: web, device: device, where: { $0 == .opus })
            }
            return passThrough(web: web, device: device, where: { $0.isG711 })
        case .preferPassThrough:
            if let shared = passThrough(web: web, device: device, where: { $0.isAudio }) { return shared }
            guard let webOpus, let deviceG711 else { return nil }
            return transcoded(webOpus: webOpus, deviceCodec: deviceG711, web: web, device: device)
        }
    }

    /// The device's first codec of an allowed kind that the browser has too, relayed unchanged.
    private static func passThrough(
        web: [NegotiatedCodec], device: [NegotiatedCodec], where isAllowed: (NegotiatedCodecKind) -> Bool
    ) -> Choice? {
        for deviceCodec in device where isAllowed(deviceCodec.kind) {
            guard let webCodec = web.first(where: { $0.isSameFormat(as: deviceCodec) }) else { continue }
            return Choice(
                webCodec: webCodec, deviceCodec: deviceCodec,
                webTelephoneEvent: telephoneEvent(in: web, for: webCodec),
                deviceTelephoneEvent: telephoneEvent(in: device, for: deviceCodec), isPassThrough: true)
        }
        return nil
    }

    private static func transcoded(
        webOpus: NegotiatedCodec, deviceCodec: NegotiatedCodec, web: [NegotiatedCodec], device: [NegotiatedCodec]
    ) -> Choice {
        Choice(
            webCodec: webOpus, deviceCodec: deviceCodec, webTelephoneEvent: telephoneEvent(in: web, for: webOpus),
            deviceTelephoneEvent: telephoneEvent(in: device, for: deviceCodec), isPassThrough: false)
    }

    /// RFC 4733 section 2.1: events use the timestamp clock of the audio they go with, so the telephone-event
    /// format at the codec's clock rate; else the first one (Firefox offers only 8000 Hz events beside Opus).
    static func telephoneEvent(in codecs: [NegotiatedCodec], for codec: NegotiatedCodec) -> NegotiatedCodec? {
        let events = codecs.filter { $0.kind == .telephoneEvent }
        return events.first { $0.clockRate == codec.clockRate } ?? events.first
    }
}
