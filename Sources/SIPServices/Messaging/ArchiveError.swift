/// Why the message archive could not do what it was asked (the store's error, as text for the log).
public struct ArchiveError: Error, Hashable, Sendable, CustomStringConvertible {
    public var reason: String

    public init(_ reason: String) {
        self.reason = reason
    }

    public var description: String { reason }
}
