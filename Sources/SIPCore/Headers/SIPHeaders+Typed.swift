/// Typed views of the headers Parley interprets. Each parses on demand and throws a 400-carrying error
/// when the value is malformed.
extension SIPHeaders {
    public var via: [Via] {
        get throws(SIPParseError) { try values(.via, as: Via.self) }
    }

    /// The first Via value only (a response is routed by it, RFC 3261 section 18.2.2).
    public var topVia: Via? {
        get throws(SIPParseError) {
            guard let field = first(.via) else { return nil }
            return try field.value.withSIPBytes { bytes throws(SIPParseError) in
                guard let range = HeaderValueSplitter.split(bytes).first else { return nil }
                return try Via(parsingHeaderValue: UnsafeRawBufferPointer(rebasing: bytes[range]))
            }
        }
    }

    public var from: NameAddress? {
        get throws(SIPParseError) { try renamed("From") { () throws(SIPParseError) in try value(.from, as: NameAddress.self) } }
    }

    public var to: NameAddress? {
        get throws(SIPParseError) { try renamed("To") { () throws(SIPParseError) in try value(.to, as: NameAddress.self) } }
    }

    public var callID: CallID? {
        get throws(SIPParseError) { try value(.callID, as: CallID.self) }
    }

    public var cseq: CSeq? {
        get throws(SIPParseError) { try value(.cseq, as: CSeq.self) }
    }

    /// Max-Forwards = 1*DIGIT, 0 to 255 (RFC 3261 section 20.22).
    public var maxForwards: Int? {
        get throws(SIPParseError) { try integer(.maxForwards, maximum: 255) }
    }

    public var contentLength: Int? {
        get throws(SIPParseError) { try integer(.contentLength, maximum: UInt64(Int32.max)) }
    }

    /// Expires = delta-seconds (RFC 3261 section 20.19); values above 2^32-1 are malformed.
    public var expires: UInt32? {
        get throws(SIPParseError) { try integer(.expires, maximum: UInt64(UInt32.max)).map { UInt32($0) } }
    }

    public var minExpires: UInt32? {
        get throws(SIPParseError) { try integer(.minExpires, maximum: UInt64(UInt32.max)).map { UInt32($0) } }
    }

    public var route: [NameAddress] {
        get throws(SIPParseError) { try values(.route, as: NameAddress.self) }
    }

    public var recordRoute: [NameAddress] {
        get throws(SIPParseError) { try values(.recordRoute, as: NameAddress.self) }
    }

    public var path: [NameAddress] {
        get throws(SIPParseError) { try values(.path, as: NameAddress.self) }
    }

    public var authorization: [AuthHeaderValue] {
        get throws(SIPParseError) { try repeatedValues(.authorization, as: AuthHeaderValue.self) }
    }

    public var proxyAuthorization: [AuthHeaderValue] {
        get throws(SIPParseError) { try repeatedValues(.proxyAuthorization, as: AuthHeaderValue.self) }
    }

    public var wwwAuthenticate: [AuthHeaderValue] {
        get throws(SIPParseError) { try repeatedValues(.wwwAuthenticate, as: AuthHeaderValue.self) }
    }

    public var proxyAuthenticate: [AuthHeaderValue] {
        get throws(SIPParseError) { try repeatedValues(.proxyAuthenticate, as: AuthHeaderValue.self) }
    }

    /// The option tags or tokens of a list header such as Require, Proxy-Require, Supported or Allow.
    public func tokens(_ name: HeaderName) -> [String] {
        var result: [String] = []
        for field in fields where field.name == name {
            field.value.withUnsafeReadableBytes { bytes in
                for range in HeaderValueSplitter.split(bytes) where !range.isEmpty {
                    result.append(String(decoding: UnsafeRawBufferPointer(rebasing: bytes[range]), as: UTF8.self))
                }
            }
        }
        return result
    }

    /// A header holding one decimal number.
    func integer(_ name: HeaderName, maximum: UInt64) throws(SIPParseError) -> Int? {
        guard let field = first(name) else { return nil }
        return try field.value.withSIPBytes { bytes throws(SIPParseError) in
            var scanner = ByteScanner(bytes)
            guard let number = scanner.readNumber(maximum: maximum), scanner.isAtEnd else {
                throw SIPParseError.badHeader(name.description, "not a number up to \(maximum)")
            }
            return Int(number)
        }
    }

    /// Runs a parse and names `header` in its error (shared value types such as NameAddress do not know
    /// which header they were read from).
    private func renamed<Value>(_ header: String, _ body: () throws(SIPParseError) -> Value)
        throws(SIPParseError) -> Value
    {
        do {
            return try body()
        } catch {
            throw SIPParseError(.malformedHeaderValue(header: header), detail: "malformed \(header): \(error.detail)")
        }
    }
}
