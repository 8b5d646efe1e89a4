/// host = hostname / IPv4address / IPv6reference (RFC 3261 section 25.1, corrected by RFC 5954).
public enum SIPHost: Hashable, Sendable, CustomStringConvertible {
    case hostname(String)
    case ipv4(String)
    /// The address without its brackets.
    case ipv6(String)

    public var description: String {
        switch self {
        case .hostname(let name): return name
        case .ipv4(let address): return address
        case .ipv6(let address): return "[\(address)]"
        }
    }

    /// The host without IPv6 brackets, as a socket address wants it.
    public var addressText: String {
        switch self {
        case .hostname(let text), .ipv4(let text), .ipv6(let text): return text
        }
    }

    public init(parsing text: String) throws(SIPParseError) {
        self = try text.withSIPBytes { bytes throws(SIPParseError) in
            var scanner = ByteScanner(bytes)
            guard let host = SIPHost.read(from: &scanner, allowBareIPv6: true), scanner.isAtEnd else {
                throw SIPParseError(.malformedURI, detail: "bad host")
            }
            return host
        }
    }

    /// Reads a host at the scanner. With `allowBareIPv6`, an unbracketed IPv6 address is taken too
    /// (the `received` Via parameter, RFC 5118 section 4.5).
    static func read(from scanner: inout ByteScanner, allowBareIPv6: Bool = false) -> SIPHost? {
        let start = scanner.index
        if scanner.consume(UInt8(ascii: "[")) {
            let address = scanner.read { SIPCharacterClass.isHexDigit($0) || $0 == UInt8(ascii: ":") || $0 == 0x2E }
            guard scanner.consume(UInt8(ascii: "]")), isIPv6(scanner.slice(address)) else {
                scanner.move(to: start)
                return nil
            }
            return .ipv6(scanner.string(address))
        }
        if allowBareIPv6 {
            let candidate = scanner.read {
                SIPCharacterClass.isHexDigit($0) || $0 == UInt8(ascii: ":") || $0 == UInt8(ascii: ".")
            }
            let bytes = scanner.slice(candidate)
            if bytes.contains(UInt8(ascii: ":")) {
                if isIPv6(bytes) { return .ipv6(scanner.string(candidate)) }
                scanner.move(to: start)
                return nil
            }
            scanner.move(to: start)
        }
        let range = scanner.read {
            SIPCharacterClass.isAlphanumeric($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".")
        }
        let bytes = scanner.slice(range)
        if isIPv4(bytes) { return .ipv4(scanner.string(range)) }
        if isHostname(bytes) { return .hostname(scanner.string(range)) }
        scanner.move(to: start)
        return nil
    }

    /// IPv4address = 1*3DIGIT "." 1*3DIGIT "." 1*3DIGIT "." 1*3DIGIT, each at most 255.
    static func isIPv4(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var parts = 0
        var digits = 0
        var value = 0
        for byte in bytes {
            if SIPCharacterClass.isDigit(byte) {
                digits += 1
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
                if digits > 3 || value > 255 { return false }
            } else if byte == UInt8(ascii: ".") {
                guard digits > 0 else { return false }
                parts += 1
                digits = 0
                value = 0
            } else {
                return false
            }
        }
        return parts == 3 && digits > 0
    }

    /// hostname = *( domainlabel "." ) toplabel [ "." ]; domainlabel = alphanum / alphanum *( alphanum / "-" )
    /// alphanum; toplabel = ALPHA / ALPHA *( alphanum / "-" ) alphanum
    static func isHostname(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard !bytes.isEmpty, bytes.count <= 255 else { return false }
        var end = bytes.count
        if bytes[end - 1] == UInt8(ascii: ".") { end -= 1 }
        guard end > 0 else { return false }
        var labelStart = 0
        var lastLabelStart = 0
        var index = 0
        while index <= end {
            if index == end || bytes[index] == UInt8(ascii: ".") {
                let length = index - labelStart
                guard length > 0, bytes[labelStart] != UInt8(ascii: "-"), bytes[index - 1] != UInt8(ascii: "-")
                else { return false }
                lastLabelStart = labelStart
                labelStart = index + 1
            }
            index += 1
        }
        return SIPCharacterClass.isAlpha(bytes[lastLabelStart])
    }

    /// IPv6address of RFC 4291 section 2.2 (text form), with an optional trailing IPv4 part.
    /// RFC 5118 section 4.10: three colons in a row are not an address.
    static func isIPv6(_ bytes: UnsafeRawBufferPointer) -> Bool {
        let end = bytes.count
        guard end >= 2 else { return false }
        var index = 0
        var groups = 0
        var sawDoubleColon = false
        if bytes[0] == UInt8(ascii: ":") {
            guard bytes[1] == UInt8(ascii: ":") else { return false }
            sawDoubleColon = true
            index = 2
        }
        while index < end {
            let groupStart = index
            while index < end, SIPCharacterClass.isHexDigit(bytes[index]) { index += 1 }
            if index < end, bytes[index] == UInt8(ascii: ".") {
                guard isIPv4(UnsafeRawBufferPointer(rebasing: bytes[groupStart..<end])) else { return false }
                groups += 2
                index = end
                break
            }
            let length = index - groupStart
            guard length >= 1, length <= 4 else { return false }
            groups += 1
            if index == end { break }
            guard bytes[index] == UInt8(ascii: ":") else { return false }
            index += 1
            guard index < end else { return false }
            if bytes[index] == UInt8(ascii: ":") {
                guard !sawDoubleColon else { return false }
                sawDoubleColon = true
                index += 1
            }
        }
        return sawDoubleColon ? groups <= 7 : groups == 8
    }
}
