/// Character data Parley writes into XML (PIDF, RLMI).
enum XMLText {
    /// `text` as XML character data or a double-quoted attribute value: &, <, > and " escaped; control
    /// characters other than tab dropped, since XML 1.0 (section 2.2) forbids most of them and a note is
    /// one line; U+FFFE and U+FFFF dropped, which are not XML characters either.
    static func escaped(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            default:
                if isDropped(scalar) { continue }
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// C0 controls except tab, DEL, C1 controls and the two noncharacters XML does not allow.
    static func isDropped(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if value == 0x09 { return false }
        return value < 0x20 || (0x7F...0x9F).contains(value) || value == 0xFFFE || value == 0xFFFF
    }
}
