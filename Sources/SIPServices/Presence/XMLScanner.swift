/// One piece of an XML document, in document order. An empty-element tag gives a start and an end.
enum XMLEvent: Hashable, Sendable {
    /// `name` as written, prefix included (`dm:person`).
    case start(name: String, attributes: [XMLAttribute])
    case end(name: String)
    /// Character data with references resolved; CDATA sections arrive as text too.
    case text(String)
}

struct XMLAttribute: Hashable, Sendable {
    /// As written, prefix included (`xmlns:dm`).
    var name: String
    var value: String
}

/// A small, bounded XML 1.0 tokenizer for documents that arrive from the network (PIDF in a PUBLISH).
/// Strict about well-formedness (matching tags, one root, quoted attributes, known references) and about
/// what it will not do: there is no DTD support at all, so a DOCTYPE or ENTITY declaration is refused
/// rather than skipped (no entity expansion, hence no "billion laughs"). Nesting and element count are
/// capped, so the work is linear in the input. Namespaces are left to the caller: names come as written.
struct XMLScanner {
    /// Elements open at once, the root included.
    static let maxDepth = 32
    static let maxElements = 4096
    /// The longest reference between & and ; that can be valid (`#x10FFFF`, `quot`).
    static let maxReferenceLength = 10

    private let bytes: [UInt8]
    private var position = 0
    /// Where an XML declaration may stand: the start, after a byte order mark if any (XML 1.0 section 2.8).
    private let declarationPosition: Int
    /// Names of the open elements, innermost last.
    private var openElements: [String] = []
    private var elementCount = 0
    private var sawRoot = false
    /// An empty-element tag's end, given by the next call.
    private var pendingEnd: String?

    init(_ text: String) throws(PIDFError) {
        let utf8 = Array(text.utf8)
        // XML 1.0 section 2.2: of the C0 controls, only tab, LF and CR are characters at all.
        if let control = utf8.first(where: { $0 < 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }) {
            throw .malformed("control character \(control) in the document")
        }
        let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]
        let start = utf8.starts(with: byteOrderMark) ? 3 : 0
        bytes = utf8
        declarationPosition = start
        position = start
    }

    /// The next event, or nil at the end of a well-formed document.
    mutating func next() throws(PIDFError) -> XMLEvent? {
        if let name = pendingEnd {
            pendingEnd = nil
            openElements.removeLast()
            return .end(name: name)
        }
        while position < bytes.count {
            if bytes[position] == Self.lessThan {
                if let event = try markup() { return event }
            } else if openElements.isEmpty {
                try skipSpaceOutsideRoot()
            } else {
                return .text(try characterData())
            }
        }
        if let open = openElements.last { throw .malformed("<\(Self.shown(open))> is not closed") }
        guard sawRoot else { throw .malformed("no root element") }
        return nil
    }

    // MARK: Markup

    /// At "<": a tag, or something skipped (comment, processing instruction) that gives nil.
    private mutating func markup() throws(PIDFError) -> XMLEvent? {
        if isAt("<?") {
            try skipProcessingInstruction()
            return nil
        }
        if isAt("<!--") {
            position += 4
            guard let end = find("-->") else { throw .malformed("unterminated comment") }
            position = end + 3
            return nil
        }
        if isAt("<![CDATA[") {
            guard !openElements.isEmpty else { throw .malformed("CDATA outside the root element") }
            position += 9
            guard let end = find("]]>") else { throw .malformed("unterminated CDATA section") }
            let text = String(decoding: bytes[position..<end], as: UTF8.self)
            position = end + 3
            return .text(text)
        }
        // No DTD: its entities could expand without bound or reach outside the document.
        if isAt("<!DOCTYPE") { throw .malformed("DOCTYPE is not allowed") }
        if isAt("<!ENTITY") { throw .malformed("ENTITY declarations are not allowed") }
        if isAt("<!") { throw .malformed("unexpected markup declaration") }
        if isAt("</") { return try endTag() }
        return try startTag()
    }

    /// XML 1.0 section 2.6; the XML declaration (section 2.8) is one, allowed only at the very start.
    private mutating func skipProcessingInstruction() throws(PIDFError) {
        let start = position
        position += 2
        let target = try name()
        if target.lowercased() == "xml", start != declarationPosition {
            throw .malformed("XML declaration not at the start")
        }
        guard let end = find("?>") else { throw .malformed("unterminated processing instruction") }
        position = end + 2
    }

    /// XML 1.0 section 3.1: `<name attribute="value" ...>` or `<name .../>`.
    private mutating func startTag() throws(PIDFError) -> XMLEvent {
        position += 1
        let elementName = try name()
        if openElements.isEmpty, sawRoot { throw .malformed("a second root element <\(Self.shown(elementName))>") }
        guard openElements.count < Self.maxDepth else {
            throw .malformed("elements nested deeper than \(Self.maxDepth)")
        }
        elementCount += 1
        guard elementCount <= Self.maxElements else { throw .malformed("more than \(Self.maxElements) elements") }
        var attributes: [XMLAttribute] = []
        var isEmpty = false
        while true {
            let hadSpace = skipSpace()
            guard position < bytes.count else { throw .malformed("unterminated tag <\(Self.shown(elementName))>") }
            if bytes[position] == Self.greaterThan {
                position += 1
                break
            }
            if bytes[position] == Self.slash {
                guard position + 1 < bytes.count, bytes[position + 1] == Self.greaterThan else {
                    throw .malformed("'/' inside tag <\(Self.shown(elementName))>")
                }
                position += 2
                isEmpty = true
                break
            }
            guard hadSpace else {
                throw .malformed("no white space before an attribute of <\(Self.shown(elementName))>")
            }
            let attribute = try self.attribute()
            // Section 3.1: an attribute name appears at most once in a tag.
            guard !attributes.contains(where: { $0.name == attribute.name }) else {
                throw .malformed("attribute \(Self.shown(attribute.name)) repeated")
            }
            attributes.append(attribute)
        }
        sawRoot = true
        openElements.append(elementName)
        if isEmpty { pendingEnd = elementName }
        return .start(name: elementName, attributes: attributes)
    }

    /// `name = "value"` or with single quotes (XML 1.0 section 3.1, Eq and AttValue).
    private mutating func attribute() throws(PIDFError) -> XMLAttribute {
        let attributeName = try name()
        skipSpace()
        guard position < bytes.count, bytes[position] == Self.equals else {
            throw .malformed("attribute \(Self.shown(attributeName)) without a value")
        }
        position += 1
        skipSpace()
        guard position < bytes.count, bytes[position] == Self.doubleQuote || bytes[position] == Self.singleQuote else {
            throw .malformed("attribute \(Self.shown(attributeName)) is not quoted")
        }
        let quote = bytes[position]
        position += 1
        let start = position
        while position < bytes.count, bytes[position] != quote {
            guard bytes[position] != Self.lessThan else {
                throw .malformed("'<' in attribute \(Self.shown(attributeName))")
            }
            position += 1
        }
        guard position < bytes.count else { throw .malformed("unterminated attribute \(Self.shown(attributeName))") }
        let value = try Self.decode(bytes[start..<position], isAttribute: true)
        position += 1
        return XMLAttribute(name: attributeName, value: value)
    }

    /// XML 1.0 section 3.1: `</name>`, closing the innermost open element.
    private mutating func endTag() throws(PIDFError) -> XMLEvent {
        position += 2
        let elementName = try name()
        skipSpace()
        guard position < bytes.count, bytes[position] == Self.greaterThan else {
            throw .malformed("unterminated end tag </\(Self.shown(elementName))>")
        }
        position += 1
        guard let open = openElements.last else {
            throw .malformed("end tag </\(Self.shown(elementName))> without a start tag")
        }
        guard open == elementName else {
            throw .malformed("</\(Self.shown(elementName))> does not close <\(Self.shown(open))>")
        }
        openElements.removeLast()
        return .end(name: elementName)
    }

    // MARK: Character data

    /// Text up to the next "<", references resolved (XML 1.0 section 2.4).
    private mutating func characterData() throws(PIDFError) -> String {
        let start = position
        while position < bytes.count, bytes[position] != Self.lessThan { position += 1 }
        return try Self.decode(bytes[start..<position], isAttribute: false)
    }

    /// Section 2.8: before and after the root only white space (besides comments and PIs).
    private mutating func skipSpaceOutsideRoot() throws(PIDFError) {
        while position < bytes.count, bytes[position] != Self.lessThan {
            guard Self.isSpace(bytes[position]) else {
                throw .malformed(sawRoot ? "text after the root element" : "text before the root element")
            }
            position += 1
        }
    }

    /// Resolves the five predefined entities and character references (sections 4.1 and 4.6); any other
    /// reference is an error, as this scanner knows no DTD. In attribute values, tab, CR and LF become spaces
    /// (section 3.3.3).
    static func decode(_ raw: ArraySlice<UInt8>, isAttribute: Bool) throws(PIDFError) -> String {
        let isSpaceToNormalize = { (byte: UInt8) in isAttribute && (byte == 0x09 || byte == 0x0A || byte == 0x0D) }
        guard raw.contains(ampersand) || raw.contains(where: isSpaceToNormalize) else {
            return String(decoding: raw, as: UTF8.self)
        }
        var output: [UInt8] = []
        output.reserveCapacity(raw.count)
        var index = raw.startIndex
        while index < raw.endIndex {
            let byte = raw[index]
            if byte == ampersand {
                var end = index + 1
                while end < raw.endIndex, raw[end] != semicolon, end - index <= maxReferenceLength { end += 1 }
                guard end < raw.endIndex, raw[end] == semicolon else { throw .malformed("'&' without a reference") }
                let scalar = try resolve(String(decoding: raw[(index + 1)..<end], as: UTF8.self))
                output.append(contentsOf: String(Character(scalar)).utf8)
                index = end + 1
            } else {
                output.append(isSpaceToNormalize(byte) ? space : byte)
                index += 1
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// The character a reference (what stands between & and ;) stands for.
    static func resolve(_ reference: String) throws(PIDFError) -> Unicode.Scalar {
        switch reference {
        case "amp": return "&"
        case "lt": return "<"
        case "gt": return ">"
        case "quot": return "\""
        case "apos": return "'"
        default: break
        }
        var digits = Substring(reference)
        guard digits.first == "#" else { throw .malformed("unknown entity &\(shown(reference));") }
        digits.removeFirst()
        let radix = digits.first == "x" ? 16 : 10
        if radix == 16 { digits.removeFirst() }
        // Only digits: UInt32(_:radix:) alone would also take a sign.
        let isDigit: (Character) -> Bool = { $0.isASCII && (radix == 16 ? $0.isHexDigit : $0.isWholeNumber) }
        guard !digits.isEmpty, digits.allSatisfy(isDigit), let value = UInt32(digits, radix: radix),
            let scalar = Unicode.Scalar(value), isXMLCharacter(scalar)
        else { throw .malformed("bad character reference &\(shown(reference));") }
        return scalar
    }

    /// XML 1.0 section 2.2, Char. (Unicode.Scalar already excludes surrogates.)
    static func isXMLCharacter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09, 0x0A, 0x0D, 0x20...0xFFFD, 0x10000...0x10FFFF: return true
        default: return false
        }
    }

    // MARK: Lexical helpers

    /// A Name (XML 1.0 section 2.3), loosely: ASCII name characters, and any non-ASCII byte, which is part
    /// of a well-formed UTF-8 sequence since the input is a String.
    private mutating func name() throws(PIDFError) -> String {
        let start = position
        while position < bytes.count, Self.isNameByte(bytes[position], isFirst: position == start) { position += 1 }
        guard position > start else { throw .malformed("a name was expected at byte \(start)") }
        return String(decoding: bytes[start..<position], as: UTF8.self)
    }

    static func isNameByte(_ byte: UInt8, isFirst: Bool) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "_"),
            UInt8(ascii: ":"), 0x80...0xFF:
            return true
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."):
            return !isFirst
        default:
            return false
        }
    }

    /// Skips white space (section 2.3, S); tells whether there was any.
    @discardableResult
    private mutating func skipSpace() -> Bool {
        let start = position
        while position < bytes.count, Self.isSpace(bytes[position]) { position += 1 }
        return position > start
    }

    static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }

    private func isAt(_ literal: String) -> Bool {
        var index = position
        for byte in literal.utf8 {
            guard index < bytes.count, bytes[index] == byte else { return false }
            index += 1
        }
        return true
    }

    /// Where `literal` next starts at or after the current position.
    private func find(_ literal: String) -> Int? {
        let needle = Array(literal.utf8)
        guard bytes.count >= needle.count else { return nil }
        var index = position
        while index + needle.count <= bytes.count {
            if bytes[index] == needle[0], bytes[index..<(index + needle.count)].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
    }

    /// Input as an error message may show it (the message may end up in a reason phrase): at most 40
    /// characters, printable ASCII, anything else as "?".
    static func shown(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars.prefix(40) {
            result.unicodeScalars.append(scalar.value > 0x20 && scalar.value < 0x7F ? scalar : "?")
        }
        return text.unicodeScalars.count > 40 ? result + "..." : result
    }

    static let lessThan = UInt8(ascii: "<")
    static let greaterThan = UInt8(ascii: ">")
    static let slash = UInt8(ascii: "/")
    static let equals = UInt8(ascii: "=")
    static let ampersand = UInt8(ascii: "&")
    static let semicolon = UInt8(ascii: ";")
    static let doubleQuote = UInt8(ascii: "\"")
    static let singleQuote = UInt8(ascii: "'")
    static let space = UInt8(ascii: " ")
}
