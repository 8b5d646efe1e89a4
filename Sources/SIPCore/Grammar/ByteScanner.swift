/// A cursor over the bytes of one header value (already unfolded) or one URI. Parsing functions of the
/// typed headers are written on it; it never copies bytes until a component becomes a `String`.
struct ByteScanner {
    let bytes: UnsafeRawBufferPointer
    private(set) var index: Int
    let end: Int

    init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
        self.index = 0
        self.end = bytes.count
    }

    init(_ bytes: UnsafeRawBufferPointer, range: Range<Int>) {
        self.bytes = bytes
        self.index = range.lowerBound
        self.end = range.upperBound
    }

    var isAtEnd: Bool { index >= end }

    @inline(__always)
    func peek() -> UInt8? { index < end ? bytes[index] : nil }

    @inline(__always)
    func peek(at offset: Int) -> UInt8? { index + offset < end ? bytes[index + offset] : nil }

    @inline(__always)
    mutating func advance(by count: Int = 1) { index = Swift.min(index + count, end) }

    mutating func move(to newIndex: Int) { index = newIndex }

    /// Consumes `byte` if it is next.
    @inline(__always)
    mutating func consume(_ byte: UInt8) -> Bool {
        guard index < end, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    /// Skips SP and HTAB. Header values reach typed parsers unfolded, so LWS is only whitespace here.
    @inline(__always)
    mutating func skipWhitespace() {
        while index < end, SIPCharacterClass.isWhitespace(bytes[index]) { index += 1 }
    }

    /// SWS sep SWS: consumes `separator` with optional whitespace around it (RFC 3261 section 25.1:
    /// SEMI, COLON, EQUAL, COMMA, SLASH, LAQUOT and RAQUOT all allow LWS on both sides).
    mutating func consumeSeparator(_ separator: UInt8) -> Bool {
        let start = index
        skipWhitespace()
        if consume(separator) {
            skipWhitespace()
            return true
        }
        index = start
        return false
    }

    /// Reads bytes while `predicate` holds and returns their range (possibly empty).
    @inline(__always)
    mutating func read(while predicate: (UInt8) -> Bool) -> Range<Int> {
        let start = index
        while index < end, predicate(bytes[index]) { index += 1 }
        return start..<index
    }

    /// token = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~" )
    mutating func readToken() -> Range<Int>? {
        let range = read(while: SIPCharacterClass.isTokenChar)
        return range.isEmpty ? nil : range
    }

    /// quoted-string = SWS DQUOTE *(qdtext / quoted-pair ) DQUOTE, returned with its quotes.
    /// qdtext = LWS / %x21 / %x23-5B / %x5D-7E / UTF8-NONASCII;
    /// quoted-pair = "\" (%x00-09 / %x0B-0C / %x0E-7F)
    mutating func readQuotedString() -> Range<Int>? {
        let start = index
        guard consume(UInt8(ascii: "\"")) else { return nil }
        while index < end {
            let c = bytes[index]
            switch c {
            case UInt8(ascii: "\""):
                index += 1
                return start..<index
            case UInt8(ascii: "\\"):
                guard index + 1 < end, bytes[index + 1] != 0x0A, bytes[index + 1] != 0x0D,
                    bytes[index + 1] <= 0x7F
                else {
                    index = start
                    return nil
                }
                index += 2
            case 0x20, 0x09, 0x21, 0x23...0x5B, 0x5D...0x7E, 0x80...0xFF:
                index += 1
            default:
                index = start
                return nil
            }
        }
        index = start
        return nil
    }

    /// 1*DIGIT as an unsigned value no larger than `maximum`; nil if absent or larger (no overflow trap).
    mutating func readNumber(maximum: UInt64) -> UInt64? {
        let start = index
        var value: UInt64 = 0
        while index < end, SIPCharacterClass.isDigit(bytes[index]) {
            value = value * 10 + UInt64(bytes[index] - UInt8(ascii: "0"))
            if value > maximum {
                index = start
                return nil
            }
            index += 1
        }
        return index > start ? value : nil
    }

    func string(_ range: Range<Int>) -> String {
        String(decoding: UnsafeRawBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }

    func slice(_ range: Range<Int>) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: bytes[range])
    }

    /// Case-insensitive comparison of `range` with an ASCII literal.
    func matches(_ range: Range<Int>, caseInsensitive literal: StaticString) -> Bool {
        guard range.count == literal.utf8CodeUnitCount else { return false }
        let literalBytes = UnsafeRawBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount)
        for offset in 0..<range.count
        where SIPCharacterClass.lowercased(bytes[range.lowerBound + offset])
            != SIPCharacterClass.lowercased(literalBytes[offset])
        {
            return false
        }
        return true
    }
}

extension String {
    /// Runs `body` over the UTF-8 bytes of the string without copying when it is already contiguous.
    func withSIPBytes<Result>(_ body: (UnsafeRawBufferPointer) throws(SIPParseError) -> Result)
        throws(SIPParseError) -> Result
    {
        var copy = self
        let result: Swift.Result<Result, SIPParseError> = copy.withUTF8 { utf8 in
            do throws(SIPParseError) {
                return .success(try body(UnsafeRawBufferPointer(utf8)))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }
}
