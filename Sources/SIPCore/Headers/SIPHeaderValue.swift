import NIOCore

/// A typed header value: parsed from one value's bytes (one comma element for list headers) and written
/// back as text.
public protocol SIPHeaderValue: Sendable {
    /// Parses exactly the given bytes (already unfolded and trimmed).
    init(parsingHeaderValue bytes: UnsafeRawBufferPointer) throws(SIPParseError)
    /// The value as it goes on the wire.
    var headerValue: String { get }
}

extension SIPHeaderValue {
    /// Parses a value from text (convenient in tests and when building messages).
    public init(parsing text: String) throws(SIPParseError) {
        self = try text.withSIPBytes { bytes throws(SIPParseError) in try Self(parsingHeaderValue: bytes) }
    }
}

extension SIPHeaders {
    /// The typed value of a single-valued header, or nil when absent.
    public func value<Value: SIPHeaderValue>(_ name: HeaderName, as type: Value.Type) throws(SIPParseError)
        -> Value?
    {
        guard let field = first(name) else { return nil }
        return try field.value.withSIPBytes { bytes throws(SIPParseError) in
            try Value(parsingHeaderValue: bytes)
        }
    }

    /// Every comma-separated value of a list header, across all its fields, in order.
    public func values<Value: SIPHeaderValue>(_ name: HeaderName, as type: Value.Type) throws(SIPParseError)
        -> [Value]
    {
        var result: [Value] = []
        for field in fields where field.name == name {
            try field.value.withSIPBytes { bytes throws(SIPParseError) in
                for range in HeaderValueSplitter.split(bytes) {
                    result.append(try Value(parsingHeaderValue: UnsafeRawBufferPointer(rebasing: bytes[range])))
                }
            }
        }
        return result
    }

    /// Every value of a header that repeats without comma lists (Authorization, WWW-Authenticate...).
    public func repeatedValues<Value: SIPHeaderValue>(_ name: HeaderName, as type: Value.Type)
        throws(SIPParseError) -> [Value]
    {
        var result: [Value] = []
        for field in fields where field.name == name {
            result.append(
                try field.value.withSIPBytes { bytes throws(SIPParseError) in
                    try Value(parsingHeaderValue: bytes)
                })
        }
        return result
    }

    public mutating func set(_ name: HeaderName, to value: some SIPHeaderValue) {
        set(name, value.headerValue)
    }

    public mutating func set(_ name: HeaderName, toList values: [some SIPHeaderValue]) {
        remove(name)
        if !values.isEmpty { append(name, values.map(\.headerValue).joined(separator: ", ")) }
    }
}
