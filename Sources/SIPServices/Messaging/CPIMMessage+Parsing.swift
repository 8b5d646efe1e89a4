/// Reading message/cpim (RFC 3862 section 3): what Parley needs of a CPIM body a client sends.
extension CPIMMessage {
    public enum ParseError: Error, Hashable, Sendable {
        case missingSeparator
        case missingHeader(String)
        case badHeader(String)
    }

    public init(parsing text: String) throws(ParseError) {
        // CRLF is the standard line end; a bare LF is tolerated. (In Swift, CRLF is one Character.)
        guard let messageEnd = Self.blankLine(in: text[...]) else { throw .missingSeparator }
        let rest = text[messageEnd.upperBound...]
        let contentEnd: Range<String.Index>
        if let first = rest.first, Self.isLineEnd(first) {
            contentEnd = rest.startIndex..<rest.index(after: rest.startIndex)  // no content headers
        } else {
            guard let end = Self.blankLine(in: rest) else { throw .missingSeparator }
            contentEnd = end
        }
        var messageHeaders: [(String, String)] = []
        for line in text[..<messageEnd.lowerBound].split(whereSeparator: Self.isLineEnd) {
            guard let colon = line.firstIndex(of: ":") else { throw .badHeader(String(line.prefix(40))) }
            let name = String(line[..<colon])
            let value = String(line[line.index(after: colon)...]).trimmedSpaces()
            messageHeaders.append((name, value))
        }
        func header(_ name: String) -> String? {
            messageHeaders.first { $0.0.lowercased() == name.lowercased() }?.1
        }
        guard let fromText = header("From") else { throw .missingHeader("From") }
        guard let toText = header("To") else { throw .missingHeader("To") }
        from = try Self.parseAddress(fromText)
        to = try Self.parseAddress(toText)
        dateTimeMs = header("DateTime").flatMap(CPIMDateTime.parse) ?? 0
        // The IMDN namespace may be bound to any prefix (section 3.3.3).
        var messageIDName = "imdn.Message-ID"
        for (name, value) in messageHeaders
        where name.lowercased() == "ns" && value.hasSuffix("<\(Self.imdnNamespace)>") {
            let prefix = value.dropLast(Self.imdnNamespace.count + 2).trimmedSpaces()
            messageIDName = prefix + ".Message-ID"
        }
        messageID = header(messageIDName)
        var type = "text/plain"
        for line in rest[..<contentEnd.lowerBound].split(whereSeparator: Self.isLineEnd) {
            guard let colon = line.firstIndex(of: ":") else { continue }
            if line[..<colon].lowercased() == "content-type" {
                type = String(line[line.index(after: colon)...]).trimmedSpaces()
            }
        }
        contentType = type
        body = String(rest[contentEnd.upperBound...])
    }

    static func isLineEnd(_ character: Character) -> Bool { character == "\r\n" || character == "\n" }

    /// The first empty line (two line ends in a row) of `text`, as a range of its base string.
    static func blankLine(in text: Substring) -> Range<String.Index>? {
        var index = text.startIndex
        while index < text.endIndex {
            let next = text.index(after: index)
            if Self.isLineEnd(text[index]), next < text.endIndex, Self.isLineEnd(text[next]) {
                return index..<text.index(after: next)
            }
            index = next
        }
        return nil
    }

    static func parseAddress(_ text: String) throws(ParseError) -> Address {
        guard let open = text.lastIndex(of: "<"), let close = text.lastIndex(of: ">"), open < close else {
            throw .badHeader(String(text.prefix(40)))
        }
        let uri = String(text[text.index(after: open)..<close])
        var name = String(text[..<open]).trimmedSpaces()
        if name.hasPrefix("\""), name.hasSuffix("\""), name.count >= 2 {
            var unquoted = ""
            var escaped = false
            for character in name.dropFirst().dropLast() {
                if escaped || character != "\\" {
                    unquoted.append(character)
                    escaped = false
                } else {
                    escaped = true
                }
            }
            name = unquoted
        }
        return Address(name: name.isEmpty ? nil : name, uri: uri)
    }
}

extension StringProtocol {
    func trimmedSpaces() -> String {
        var text = Substring(String(self))
        while text.first == " " || text.first == "\t" { text.removeFirst() }
        while text.last == " " || text.last == "\t" { text.removeLast() }
        return String(text)
    }
}
