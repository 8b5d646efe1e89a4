/// Small lexical helpers shared by the field and attribute parsers (RFC 8866 section 9 core rules).
enum SDPText {
    /// Splits on runs of spaces and tabs. SDP separates fields with one SP; a run is accepted to be liberal.
    static func fields(_ text: some StringProtocol) -> [Substring] {
        Substring(text).split(whereSeparator: { $0 == " " || $0 == "\t" })
    }

    /// The text without leading and trailing spaces and tabs.
    static func trimmed(_ text: some StringProtocol) -> Substring {
        let text = Substring(text)
        guard let first = text.firstIndex(where: { $0 != " " && $0 != "\t" }),
            let last = text.lastIndex(where: { $0 != " " && $0 != "\t" })
        else { return text[text.endIndex...] }
        return text[first...last]
    }

    /// `1*DIGIT` as an unsigned integer; nil on any other character or on overflow. (`UInt8("+1")` would accept a
    /// sign, so the digits are checked first.)
    static func number<T: FixedWidthInteger & UnsignedInteger>(
        _ text: some StringProtocol, as type: T.Type = T.self
    ) -> T? {
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        return T(text, radix: 10)
    }

    /// RFC 8866 section 9: `token = 1*(token-char)`, the characters an attribute name or a semantics tag may use.
    static func isToken(_ text: some StringProtocol) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy(isTokenByte)
    }

    static func isTokenByte(_ byte: UInt8) -> Bool {
        // token-char = %x21 / %x23-27 / %x2A-2B / %x2D-2E / %x30-39 / %x41-5A / %x5E-7E
        switch byte {
        case 0x21, 0x23...0x27, 0x2A...0x2B, 0x2D...0x2E, 0x30...0x39, 0x41...0x5A, 0x5E...0x7E: true
        default: false
        }
    }

    /// RFC 8839 section 5.1: `ice-char = ALPHA / DIGIT / "+" / "/"`.
    static func isICEString(_ text: some StringProtocol, lengths: ClosedRange<Int>) -> Bool {
        let bytes = text.utf8
        return lengths.contains(bytes.count)
            && bytes.allSatisfy { byte in
                (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39)
                    || byte == 0x2B || byte == 0x2F
            }
    }

    /// ASCII lowercase, for the literals SDP compares case-insensitively (ABNF strings, RFC 5234 section 2.3).
    static func lowercased(_ text: some StringProtocol) -> String {
        String(decoding: text.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }, as: UTF8.self)
    }

    static func equalsIgnoringCase(_ lhs: some StringProtocol, _ rhs: some StringProtocol) -> Bool {
        lhs.utf8.count == rhs.utf8.count && lowercased(lhs) == lowercased(rhs)
    }
}
