/// What to do with one datagram that `ICELiteAgent.handle` looked at.
public enum ICEOutcome: Hashable, Sendable {
    /// Send these bytes back to the datagram's source, from the local address it arrived on.
    case respond([UInt8])
    /// Send nothing.
    case drop(ICEDropReason)
}
