/// Names one server transaction of a `TransactionLayer`: a counter, never reused by that layer.
public struct ServerTransactionID: Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt64
    /// Which of the layer's tables holds the transaction.
    let isInvite: Bool

    init(rawValue: UInt64, isInvite: Bool) {
        self.rawValue = rawValue
        self.isInvite = isInvite
    }

    public var description: String { "server-\(rawValue)" }
}
