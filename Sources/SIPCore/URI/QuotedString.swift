/// quoted-string helpers (RFC 3261 section 25.1).
public enum QuotedString {
    /// Removes the surrounding DQUOTEs and resolves quoted-pairs; text without quotes comes back as is.
    public static func unquote(_ text: String) -> String {
        let utf8 = Array(text.utf8)
        guard utf8.count >= 2, utf8.first == UInt8(ascii: "\""), utf8.last == UInt8(ascii: "\"") else {
            return text
        }
        var result: [UInt8] = []
        result.reserveCapacity(utf8.count - 2)
        var index = 1
        while index < utf8.count - 1 {
            if utf8[index] == UInt8(ascii: "\\"), index + 1 < utf8.count - 1 {
                index += 1
            }
            result.append(utf8[index])
            index += 1
        }
        return String(decoding: result, as: UTF8.self)
    }

    /// Wraps `text` in DQUOTEs, escaping `"` and `\` as quoted-pairs.
    public static func quote(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            if scalar == "\"" || scalar == "\\" { result.unicodeScalars.append("\\") }
            result.unicodeScalars.append(scalar)
        }
        result += "\""
        return result
    }
}
