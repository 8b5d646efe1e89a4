import NIOCore

/// Parses the header section of a message (RFC 3261 section 7 and the grammar of section 25) and
/// assembles a message from a head and its framed body. Framing itself (where the header section and the
/// body end) belongs to `SIPDatagramDecoder` and `SIPStreamFramer`.
public struct SIPMessageParser: Sendable {
    public var limits: SIPLimits

    public init(limits: SIPLimits = .default) {
        self.limits = limits
    }

    private static let cr = UInt8(ascii: "\r")
    private static let lf = UInt8(ascii: "\n")

    /// Finds the blank line that ends the header section: returns the end of the header lines and where
    /// the body starts. Accepts bare LF line ends as well as CRLF.
    static func findHeaderEnd(_ bytes: UnsafeRawBufferPointer, from start: Int = 0) -> (
        headerEnd: Int, bodyStart: Int
    )? {
        var index = start
        while index < bytes.count {
            guard bytes[index] == lf else {
                index += 1
                continue
            }
            let next = index + 1
            if next < bytes.count, bytes[next] == lf { return (next, next + 1) }
            if next + 1 < bytes.count, bytes[next] == cr, bytes[next + 1] == lf { return (next, next + 2) }
            index += 1
        }
        return nil
    }

    /// Parses a header section: the start line and header lines, up to (not including) the blank line.
    /// Values become slices of `buffer` (unfolded values get their own storage).
    public func parseHead(_ buffer: ByteBuffer) throws(SIPParseError) -> SIPMessageHead {
        try buffer.withSIPBytes { bytes throws(SIPParseError) in
            try parseHead(bytes, in: buffer)
        }
    }

    func parseHead(_ bytes: UnsafeRawBufferPointer, in buffer: ByteBuffer) throws(SIPParseError)
        -> SIPMessageHead
    {
        var lines = LineReader(bytes: bytes)
        guard let startLineRange = lines.next() else {
            throw SIPParseError(.malformedStartLine, detail: "empty message")
        }
        guard startLineRange.count <= limits.maxLineBytes else {
            throw SIPParseError(.lineTooLong, detail: "start line too long")
        }
        let startLine = try Self.parseStartLine(bytes, startLineRange)

        var fields: [HeaderField] = []
        fields.reserveCapacity(16)
        var contentLength: Int?
        var current: PendingField?

        func finish(_ pending: PendingField) throws(SIPParseError) {
            // Trim LWS at both ends; a folded value may start with a line end (`Contact:` CRLF SP `<sip:...>`).
            func isLWS(_ byte: UInt8) -> Bool { SIPCharacterClass.isWhitespace(byte) || byte == Self.cr || byte == Self.lf }
            var valueEnd = pending.valueEnd
            while valueEnd > pending.valueStart, isLWS(bytes[valueEnd - 1]) { valueEnd -= 1 }
            var valueStart = pending.valueStart
            while valueStart < valueEnd, isLWS(bytes[valueStart]) { valueStart += 1 }
            let value: ByteBuffer
            if pending.isFolded {
                // RFC 3261 section 7.3.1: a folded line is the same value; drop the CRLFs, keep the LWS.
                var unfolded = ByteBuffer()
                unfolded.reserveCapacity(valueEnd - valueStart)
                for index in valueStart..<valueEnd where bytes[index] != Self.cr && bytes[index] != Self.lf {
                    unfolded.writeInteger(bytes[index])
                }
                value = unfolded
            } else {
                value = buffer.getSlice(at: buffer.readerIndex + valueStart, length: valueEnd - valueStart)!
            }
            if pending.name.known == .contentLength {
                // RFC 4475 sections 3.1.2.3 and 3.3.9: one non-negative decimal value, or the framing is lost.
                guard contentLength == nil else {
                    throw SIPParseError(.invalidContentLength, detail: "more than one Content-Length")
                }
                var scanner = ByteScanner(bytes, range: valueStart..<valueEnd)
                guard let length = scanner.readNumber(maximum: UInt64(Int32.max)), scanner.isAtEnd else {
                    throw SIPParseError(.invalidContentLength, detail: "Content-Length is not a number")
                }
                guard length <= limits.maxBodyBytes else {
                    throw SIPParseError(
                        .bodyTooLarge, status: .requestEntityTooLarge, detail: "body over \(limits.maxBodyBytes) bytes")
                }
                contentLength = Int(length)
            }
            guard fields.count < limits.maxHeaderCount else {
                throw SIPParseError(.tooManyHeaders, detail: "more than \(limits.maxHeaderCount) header fields")
            }
            fields.append(HeaderField(name: pending.name, value: value))
        }

        while let line = lines.next() {
            guard !line.isEmpty else { break }
            guard line.count <= limits.maxLineBytes else {
                throw SIPParseError(.lineTooLong, detail: "header line too long")
            }
            if SIPCharacterClass.isWhitespace(bytes[line.lowerBound]) {
                // A continuation line (LWS = [*WSP CRLF] 1*WSP).
                guard var pending = current else {
                    throw SIPParseError(.malformedHeaderLine, detail: "continuation line without a header")
                }
                pending.valueEnd = line.upperBound
                pending.isFolded = true
                guard pending.valueEnd - pending.valueStart <= limits.maxLineBytes else {
                    throw SIPParseError(.lineTooLong, detail: "folded header too long")
                }
                current = pending
                continue
            }
            if let pending = current { try finish(pending) }
            current = try Self.parseHeaderLine(bytes, line)
        }
        if let pending = current { try finish(pending) }
        return SIPMessageHead(startLine: startLine, headers: SIPHeaders(fields), contentLength: contentLength)
    }

    /// A header line being read: its name and where its value lies, continuation lines included.
    private struct PendingField {
        var name: HeaderName
        var valueStart: Int
        var valueEnd: Int
        var isFolded: Bool
    }

    /// message-header = field-name HCOLON field-value; HCOLON = *( SP / HTAB ) ":" SWS
    private static func parseHeaderLine(_ bytes: UnsafeRawBufferPointer, _ line: Range<Int>) throws(SIPParseError)
        -> PendingField
    {
        var scanner = ByteScanner(bytes, range: line)
        guard let name = scanner.readToken() else {
            throw SIPParseError(.malformedHeaderLine, detail: "header line without a name")
        }
        scanner.skipWhitespace()
        guard scanner.consume(UInt8(ascii: ":")) else {
            throw SIPParseError(.malformedHeaderLine, detail: "header line without a colon")
        }
        let headerName: HeaderName
        if let (known, isCompact) = KnownHeader.lookup(scanner.slice(name)) {
            headerName = HeaderName(known, compact: isCompact)
        } else {
            headerName = HeaderName(scanner.string(name))
        }
        return PendingField(name: headerName, valueStart: scanner.index, valueEnd: line.upperBound, isFolded: false)
    }

    /// Request-Line = Method SP Request-URI SP SIP-Version CRLF
    /// Status-Line = SIP-Version SP Status-Code SP Reason-Phrase CRLF
    /// Single spaces only: RFC 4475 sections 3.1.2.9 and 3.1.2.10 allow rejecting extra spaces.
    static func parseStartLine(_ bytes: UnsafeRawBufferPointer, _ line: Range<Int>) throws(SIPParseError)
        -> SIPStartLine
    {
        var scanner = ByteScanner(bytes, range: line)
        let space = UInt8(ascii: " ")
        let first = scanner.read { $0 != space }
        if let version = Self.versionKind(scanner.slice(first)) {
            // A response.
            guard version == .supported else {
                throw SIPParseError(.unsupportedVersion, status: .versionNotSupported, detail: "not SIP/2.0")
            }
            guard scanner.consume(space) else {
                throw SIPParseError(.malformedStartLine, detail: "no status code")
            }
            let code = scanner.read(while: SIPCharacterClass.isDigit)
            guard code.count == 3, let value = Int(scanner.string(code)), (100...699).contains(value) else {
                throw SIPParseError(.malformedStartLine, detail: "status code is not 100-699")
            }
            var reason = ""
            if scanner.consume(space) {
                reason = scanner.string(scanner.index..<line.upperBound)
            } else if !scanner.isAtEnd {
                throw SIPParseError(.malformedStartLine, detail: "bad status line")
            }
            return .response(status: SIPStatus(value), reasonPhrase: reason)
        }

        guard !first.isEmpty, scanner.slice(first).allSatisfy(SIPCharacterClass.isTokenChar) else {
            throw SIPParseError(.malformedStartLine, detail: "bad method")
        }
        guard scanner.consume(space) else { throw SIPParseError(.malformedStartLine, detail: "bad request line") }
        let uriRange = scanner.read { $0 != space }
        guard !uriRange.isEmpty, scanner.consume(space) else {
            throw SIPParseError(.malformedStartLine, detail: "bad request line")
        }
        let versionRange = scanner.index..<line.upperBound
        switch Self.versionKind(scanner.slice(versionRange)) {
        case .supported: break
        case .unsupported:
            throw SIPParseError(.unsupportedVersion, status: .versionNotSupported, detail: "not SIP/2.0")
        case nil: throw SIPParseError(.malformedStartLine, detail: "bad SIP version")
        }
        let uri: URI
        do {
            uri = try URI.parse(bytes, range: uriRange)
        } catch {
            throw SIPParseError(.malformedURI, detail: "bad Request-URI: \(error.detail)")
        }
        return .request(method: SIPMethod.from(scanner.slice(first)), uri: uri)
    }

    private enum VersionKind { case supported, unsupported }

    /// SIP-Version = "SIP" "/" 1*DIGIT "." 1*DIGIT ("SIP" is case-insensitive, RFC 3261 section 7.1).
    private static func versionKind(_ bytes: UnsafeRawBufferPointer) -> VersionKind? {
        guard bytes.count >= 7,
            SIPCharacterClass.lowercased(bytes[0]) == UInt8(ascii: "s"),
            SIPCharacterClass.lowercased(bytes[1]) == UInt8(ascii: "i"),
            SIPCharacterClass.lowercased(bytes[2]) == UInt8(ascii: "p"),
            bytes[3] == UInt8(ascii: "/")
        else { return nil }
        var scanner = ByteScanner(bytes, range: 4..<bytes.count)
        guard scanner.readNumber(maximum: 999) != nil, scanner.consume(UInt8(ascii: ".")),
            scanner.readNumber(maximum: 999) != nil, scanner.isAtEnd
        else { return nil }
        return bytes.count == 7 && bytes[4] == UInt8(ascii: "2") && bytes[6] == UInt8(ascii: "0")
            ? .supported : .unsupported
    }

    /// Puts a head and its framed body together and validates the core headers.
    public func assemble(_ head: SIPMessageHead, body: ByteBuffer) -> SIPFrame {
        do {
            try SIPMessageValidator.validate(head)
        } catch {
            return .rejected(error, head: head)
        }
        switch head.startLine {
        case .request(let method, let uri):
            return .message(.request(SIPRequest(method: method, uri: uri, headers: head.headers, body: body)))
        case .response(let status, let reasonPhrase):
            return .message(
                .response(SIPResponse(status: status, reasonPhrase: reasonPhrase, headers: head.headers, body: body)))
        }
    }
}

/// Iterates the lines of a header section; a line ends at LF, with the CR before it removed.
struct LineReader {
    let bytes: UnsafeRawBufferPointer
    var index = 0

    mutating func next() -> Range<Int>? {
        guard index < bytes.count else { return nil }
        let start = index
        var end = start
        while end < bytes.count, bytes[end] != UInt8(ascii: "\n") { end += 1 }
        index = end + 1
        var contentEnd = end
        if contentEnd > start, bytes[contentEnd - 1] == UInt8(ascii: "\r") { contentEnd -= 1 }
        return start..<contentEnd
    }
}
