/// A configuration value Parley cannot use: names the key and the reason, in one line.
public struct ConfigurationError: Error, CustomStringConvertible, Sendable {
    public var key: String
    public var source: String
    public var reason: String

    public init(key: String, source: String, reason: String) {
        self.key = key
        self.source = source
        self.reason = reason
    }

    public var description: String { "bad configuration: \(key) (from \(source)): \(reason)" }
}
