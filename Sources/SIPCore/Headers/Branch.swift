/// The Via `branch` parameter: the transaction identifier (RFC 3261 sections 8.1.1.7 and 17.2.3).
public struct Branch: Hashable, Sendable, CustomStringConvertible {
    /// The magic cookie that marks a branch made by an RFC 3261 element.
    public static let magicCookie = "z9hG4bK"

    public let value: String

    public init(_ value: String) {
        self.value = value
    }

    /// RFC 3261 matching applies only to branches that start with the cookie and carry something after it
    /// (RFC 4475 section 3.2.1: a bare cookie identifies nothing).
    public var isRFC3261: Bool {
        value.hasPrefix(Self.magicCookie) && value.utf8.count > Self.magicCookie.utf8.count
    }

    public var description: String { value }
}
