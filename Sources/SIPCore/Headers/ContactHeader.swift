/// Contact = ("Contact" / "m" ) HCOLON ( STAR / (contact-param *(COMMA contact-param))) (RFC 3261
/// section 20.10). STAR only appears alone, in a REGISTER that removes every binding (section 10.2.2).
public enum ContactHeader: Hashable, Sendable {
    case wildcard
    case addresses([NameAddress])

    public var addresses: [NameAddress] {
        if case .addresses(let addresses) = self { return addresses }
        return []
    }
}

extension NameAddress {
    /// c-p-q: the contact's preference, 0 to 1 (RFC 3261 section 20.10).
    public var q: Double? {
        guard let text = parameters.first(named: "q")?.value, let value = Double(text), (0...1).contains(value)
        else { return nil }
        return value
    }

    /// c-p-expires in seconds.
    public var expires: UInt32? {
        parameters.first(named: "expires")?.value.flatMap { UInt32($0) }
    }
}

extension SIPHeaders {
    /// The Contact header: absent (nil), `*`, or the list of addresses.
    public func contact() throws(SIPParseError) -> ContactHeader? {
        let fields = all(HeaderName(.contact))
        guard !fields.isEmpty else { return nil }
        let isWildcard = fields.contains { field in
            field.value.readableBytes == 1 && field.value.getInteger(at: field.value.readerIndex) == UInt8(ascii: "*")
        }
        if isWildcard {
            guard fields.count == 1 else {
                throw SIPParseError.badHeader("Contact", "* must be the only contact")
            }
            return .wildcard
        }
        do {
            return .addresses(try values(HeaderName(.contact), as: NameAddress.self))
        } catch {
            throw SIPParseError.badHeader("Contact", error.detail)
        }
    }
}
