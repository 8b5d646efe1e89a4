/// The name of a header field: one of the table's headers, or an extension header kept as received.
public struct HeaderName: Hashable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral {
    public let known: KnownHeader?
    /// For an extension header, the name as received; empty for a known header.
    private let extensionName: String
    /// Whether a known header arrived in (and is written back in) its compact form.
    public let isCompact: Bool

    public init(_ header: KnownHeader, compact: Bool = false) {
        self.init(known: header, extensionName: "", isCompact: compact && header.definition.compactForm != nil)
    }

    private init(known: KnownHeader?, extensionName: String, isCompact: Bool) {
        self.known = known
        self.extensionName = extensionName
        self.isCompact = isCompact
    }

    /// A name from text: resolves to the table when it names a known header.
    public init(_ name: String) {
        var copy = name
        let lookup = copy.withUTF8 { KnownHeader.lookup(UnsafeRawBufferPointer($0)) }
        if let (header, compact) = lookup {
            self.init(header, compact: compact)
        } else {
            self.init(known: nil, extensionName: name, isCompact: false)
        }
    }

    public init(stringLiteral value: String) {
        self.init(value)
    }

    /// The name as it is written on the wire.
    public var description: String {
        guard let known else { return extensionName }
        if isCompact, let compact = known.definition.compactForm {
            return String(UnicodeScalar(compact))
        }
        return known.name
    }

    // Names compare case-insensitively, and a compact form equals its full name (RFC 3261 section 7.3.1).
    public static func == (lhs: HeaderName, rhs: HeaderName) -> Bool {
        if let left = lhs.known { return left == rhs.known }
        if rhs.known != nil { return false }
        return lhs.extensionName.lowercased() == rhs.extensionName.lowercased()
    }

    public func hash(into hasher: inout Hasher) {
        if let known {
            hasher.combine(known)
        } else {
            hasher.combine(extensionName.lowercased())
        }
    }
}
