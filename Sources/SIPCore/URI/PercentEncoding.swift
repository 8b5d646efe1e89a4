/// escaped = "%" HEXDIG HEXDIG (RFC 3261 section 25.1). Unescaping happens once, never recursively
/// (RFC 4475 section 3.1.1.3: `value%2541` unescapes to `value%41`).
public enum PercentEncoding {
    /// True when every `%` in the bytes starts a valid escape.
    static func hasValidEscapes(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "%") {
                guard index + 2 < bytes.count, SIPCharacterClass.isHexDigit(bytes[index + 1]),
                    SIPCharacterClass.isHexDigit(bytes[index + 2])
                else { return false }
                index += 3
            } else {
                index += 1
            }
        }
        return true
    }

    /// The bytes with each escape replaced by its octet; embedded NULs are kept (RFC 4475 section 3.1.1.4).
    public static func unescapedBytes(_ text: String) -> [UInt8] {
        let utf8 = Array(text.utf8)
        var result: [UInt8] = []
        result.reserveCapacity(utf8.count)
        var index = 0
        while index < utf8.count {
            if utf8[index] == UInt8(ascii: "%"), index + 2 < utf8.count,
                let high = SIPCharacterClass.hexValue(utf8[index + 1]),
                let low = SIPCharacterClass.hexValue(utf8[index + 2])
            {
                result.append(high << 4 | low)
                index += 3
            } else {
                result.append(utf8[index])
                index += 1
            }
        }
        return result
    }

    public static func unescape(_ text: String) -> String {
        guard text.utf8.contains(UInt8(ascii: "%")) else { return text }
        return String(decoding: unescapedBytes(text), as: UTF8.self)
    }

    /// Escapes every byte outside `allowed` (used when building URIs from user input).
    public static func escape(_ text: String, allowing allowed: (UInt8) -> Bool) -> String {
        var result = ""
        for byte in text.utf8 {
            if allowed(byte) {
                result.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                let hex = Array("0123456789ABCDEF".utf8)
                result.unicodeScalars.append("%")
                result.unicodeScalars.append(Unicode.Scalar(hex[Int(byte >> 4)]))
                result.unicodeScalars.append(Unicode.Scalar(hex[Int(byte & 0x0F)]))
            }
        }
        return result
    }

    /// Escapes a user part: keeps unreserved and user-unreserved characters.
    public static func escapeUser(_ text: String) -> String {
        escape(text) { SIPCharacterClass.isUnreserved($0) || SIPCharacterClass.isUserUnreserved($0) }
    }
}
