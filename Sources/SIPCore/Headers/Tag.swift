/// The `tag` parameter of From and To (RFC 3261 section 19.3), one half of a dialog's identity.
public struct Tag: Hashable, Sendable, CustomStringConvertible {
    public let value: String

    public init(_ value: String) {
        self.value = value
    }

    public var description: String { value }
}
