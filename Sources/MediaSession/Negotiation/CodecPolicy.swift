/// How the bridge chooses codecs when both legs could share one. The raw values are the configuration words.
public enum CodecPolicy: String, Sendable, Hashable, CaseIterable {
    /// Opus to the browser whenever it has it; the bridge transcodes to the device's G.711.
    case transcodeToOpus = "transcode"
    /// The same codec on both legs when they have one in common, so the bridge only relays; Opus plus
    /// transcoding otherwise.
    case preferPassThrough = "pass-through"
}
