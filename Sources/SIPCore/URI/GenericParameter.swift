/// One `;name[=value]` parameter of a URI or header, kept as written on the wire (escapes and quotes
/// included) so that a message forwarded unchanged keeps its bytes.
public struct GenericParameter: Hashable, Sendable, CustomStringConvertible {
    public var name: String
    public var value: String?

    public init(name: String, value: String? = nil) {
        self.name = name
        self.value = value
    }

    /// The value without surrounding quotes and with quoted-pairs resolved (RFC 3261 section 25.1).
    public var unquotedValue: String? {
        guard let value else { return nil }
        return QuotedString.unquote(value)
    }

    public var description: String {
        if let value { return "\(name)=\(value)" }
        return name
    }
}

extension [GenericParameter] {
    /// Parameter names compare case-insensitively (RFC 3261 section 7.3.1 and 19.1.4).
    /// Parameter names are case-insensitive (RFC 3261 section 7.3.1); compared without making copies.
    public func first(named name: String) -> GenericParameter? {
        first { Self.asciiCaseInsensitiveEqual($0.name, name) }
    }

    static func asciiCaseInsensitiveEqual(_ lhs: String, _ rhs: String) -> Bool {
        let left = lhs.utf8
        let right = rhs.utf8
        guard left.count == right.count else { return false }
        return left.elementsEqual(right) { a, b in
            a == b || (a | 0x20 == b | 0x20 && (a | 0x20) >= UInt8(ascii: "a") && (a | 0x20) <= UInt8(ascii: "z"))
        }
    }

    public func contains(named name: String) -> Bool {
        first(named: name) != nil
    }

    public mutating func set(_ name: String, to value: String?) {
        if let index = firstIndex(where: { $0.name.lowercased() == name.lowercased() }) {
            self[index].value = value
        } else {
            append(GenericParameter(name: name, value: value))
        }
    }

    public mutating func remove(named name: String) {
        removeAll { $0.name.lowercased() == name.lowercased() }
    }

    /// `;a=1;b` as it goes after a URI or header value.
    var serialized: String {
        var text = ""
        for parameter in self {
            text += ";"
            text += parameter.description
        }
        return text
    }
}
