/// CSeq = 1*DIGIT LWS Method (RFC 3261 section 20.16); the number is below 2^31 when Parley makes it and
/// at most 2^32-1 when received (RFC 4475 section 3.1.2.4 rejects larger).
public struct CSeq: Hashable, Sendable, CustomStringConvertible, SIPHeaderValue {
    public var sequence: UInt32
    public var method: SIPMethod

    public init(_ sequence: UInt32, _ method: SIPMethod) {
        self.sequence = sequence
        self.method = method
    }

    public init(parsingHeaderValue bytes: UnsafeRawBufferPointer) throws(SIPParseError) {
        var scanner = ByteScanner(bytes)
        guard let number = scanner.readNumber(maximum: UInt64(UInt32.max)) else {
            throw SIPParseError.badHeader("CSeq", "sequence number missing or above 2^32-1")
        }
        let separator = scanner.read(while: SIPCharacterClass.isWhitespace)
        guard !separator.isEmpty, let method = scanner.readToken(), scanner.isAtEnd else {
            throw SIPParseError.badHeader("CSeq", "bad method")
        }
        self.sequence = UInt32(number)
        self.method = SIPMethod.from(scanner.slice(method))
    }

    public var headerValue: String { "\(sequence) \(method)" }
    public var description: String { headerValue }
}
