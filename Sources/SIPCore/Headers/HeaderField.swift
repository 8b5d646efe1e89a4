import NIOCore

/// One header line: its name and its value bytes, unfolded and trimmed (RFC 3261 section 7.3.1),
/// kept as a slice of the received buffer until a typed view parses it.
public struct HeaderField: Hashable, Sendable, CustomStringConvertible {
    public var name: HeaderName
    public var value: ByteBuffer

    public init(name: HeaderName, value: ByteBuffer) {
        self.name = name
        self.value = value
    }

    public init(_ name: HeaderName, _ value: String) {
        self.name = name
        self.value = ByteBuffer(string: value)
    }

    public var valueString: String { String(buffer: value) }

    public var description: String { "\(name): \(valueString)" }
}
