import NIOCore

/// The header fields of a message in their received order. Values stay bytes; typed views
/// (`SIPHeaders+Typed.swift`) parse on demand. Lookups go through `HeaderName`, never raw strings.
public struct SIPHeaders: Hashable, Sendable, Sequence {
    public private(set) var fields: [HeaderField]

    public init(_ fields: [HeaderField] = []) {
        self.fields = fields
    }

    public var count: Int { fields.count }

    public func makeIterator() -> IndexingIterator<[HeaderField]> { fields.makeIterator() }

    public func contains(_ name: HeaderName) -> Bool {
        fields.contains { $0.name == name }
    }

    /// The first field with this name.
    public func first(_ name: HeaderName) -> HeaderField? {
        fields.first { $0.name == name }
    }

    /// Every field with this name, in order (not split at commas).
    public func all(_ name: HeaderName) -> [HeaderField] {
        fields.filter { $0.name == name }
    }

    public func occurrences(of name: HeaderName) -> Int {
        fields.reduce(0) { $0 + ($1.name == name ? 1 : 0) }
    }

    public mutating func append(_ field: HeaderField) {
        fields.append(field)
    }

    public mutating func append(_ name: HeaderName, _ value: String) {
        fields.append(HeaderField(name, value))
    }

    /// Inserts before the first field of the same name, or appends (a proxy's Via and Record-Route,
    /// RFC 3261 sections 16.6 and 16.7, go on top).
    public mutating func prepend(_ name: HeaderName, _ value: String) {
        let field = HeaderField(name, value)
        if let index = fields.firstIndex(where: { $0.name == name }) {
            fields.insert(field, at: index)
        } else {
            fields.append(field)
        }
    }

    /// Replaces every field with this name by one with `value`, at the place of the first.
    public mutating func set(_ name: HeaderName, _ value: String) {
        let field = HeaderField(name, value)
        if let index = fields.firstIndex(where: { $0.name == name }) {
            fields[index] = field
            var position = index + 1
            while position < fields.count {
                if fields[position].name == name {
                    fields.remove(at: position)
                } else {
                    position += 1
                }
            }
        } else {
            fields.append(field)
        }
    }

    public mutating func remove(_ name: HeaderName) {
        fields.removeAll { $0.name == name }
    }

    /// Removes the first value of a list header (a proxy popping its own Route or a response's top Via):
    /// the first comma element of the first field, or the whole field if it held one value.
    public mutating func removeFirstValue(_ name: HeaderName) {
        guard let index = fields.firstIndex(where: { $0.name == name }) else { return }
        let ranges = fields[index].value.withUnsafeReadableBytes { HeaderValueSplitter.split($0) }
        if ranges.count <= 1 {
            fields.remove(at: index)
        } else {
            let value = fields[index].value
            let restStart = ranges[1].lowerBound
            fields[index].value = value.getSlice(
                at: value.readerIndex + restStart, length: value.readableBytes - restStart)!
        }
    }
}
