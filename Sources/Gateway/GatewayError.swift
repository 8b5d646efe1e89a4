/// A failure to start, phrased as the one line `parley serve` prints.
public struct GatewayError: Error, CustomStringConvertible, Sendable {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}
