/// callid = word [ "@" word ] (RFC 3261 section 25.1), compared byte for byte.
public struct CallID: Hashable, Sendable, CustomStringConvertible, SIPHeaderValue {
    public let value: String

    public init(_ value: String) {
        self.value = value
    }

    public init(parsingHeaderValue bytes: UnsafeRawBufferPointer) throws(SIPParseError) {
        var scanner = ByteScanner(bytes)
        let first = scanner.read(while: SIPCharacterClass.isWordChar)
        var valid = !first.isEmpty
        if valid, scanner.consume(UInt8(ascii: "@")) {
            valid = !scanner.read(while: SIPCharacterClass.isWordChar).isEmpty
        }
        guard valid, scanner.isAtEnd else { throw SIPParseError.badHeader("Call-ID", "not a word[@word]") }
        self.value = String(decoding: bytes, as: UTF8.self)
    }

    public var headerValue: String { value }
    public var description: String { value }
}
