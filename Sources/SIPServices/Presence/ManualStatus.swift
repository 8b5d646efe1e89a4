/// The status a person sets by hand (web toolbar or a device's PUBLISH). The raw values are the web
/// client's words for them (`WebClient/js/sip/pidf.js`, MANUAL_STATES).
public enum ManualStatus: String, Hashable, Sendable, CaseIterable {
    case available
    case away
    case busy
    /// Calls and private messages are refused; in PIDF it is rpid:busy plus rpid:other "do-not-disturb".
    case doNotDisturb = "dnd"
}
