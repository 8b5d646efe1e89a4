import SIPCore

/// What the transports hand to the SIP runtime, always on the runtime's event loop.
public enum TransportEvent: Sendable {
    /// A well-formed message and where it came from.
    case message(SIPMessage, SIPSource)
    /// A message the parser refused; a request head present means it can be answered with the status.
    case rejected(SIPParseError, head: SIPMessageHead?, SIPSource)
    /// A connection-oriented flow ended (RFC 5626 section 4.4): its bindings go at once.
    case flowClosed(FlowID)
}
