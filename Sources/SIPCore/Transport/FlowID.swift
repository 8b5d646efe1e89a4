/// One transport flow (RFC 5626 section 3): a TCP, TLS or WebSocket connection, or for UDP the pair of
/// local listener and remote address. Requests for a binding learned on a flow go back over that flow.
public struct FlowID: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let rawValue: UInt64

    public init(_ rawValue: UInt64) {
        self.rawValue = rawValue
    }

    /// The flow of a binding restored from storage after a restart: no live flow; the contact is reached
    /// by its address. Live flows are numbered from 1.
    public static let restored = FlowID(0)

    public static func < (lhs: FlowID, rhs: FlowID) -> Bool { lhs.rawValue < rhs.rawValue }

    public var description: String { "flow-\(rawValue)" }
}
