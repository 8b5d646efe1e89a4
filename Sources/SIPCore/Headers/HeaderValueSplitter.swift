/// Splits a header value at the commas that separate list elements (RFC 3261 section 7.3.1), skipping
/// commas inside quoted strings and angle brackets. Each element comes back trimmed of whitespace.
enum HeaderValueSplitter {
    static func split(_ bytes: UnsafeRawBufferPointer) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var start = 0
        var index = 0
        var inQuotes = false
        var inBrackets = false
        while index < bytes.count {
            let c = bytes[index]
            if inQuotes {
                if c == UInt8(ascii: "\\") {
                    index += 1
                } else if c == UInt8(ascii: "\"") {
                    inQuotes = false
                }
            } else if c == UInt8(ascii: "\"") {
                inQuotes = true
            } else if c == UInt8(ascii: "<") {
                inBrackets = true
            } else if c == UInt8(ascii: ">") {
                inBrackets = false
            } else if c == UInt8(ascii: ","), !inBrackets {
                ranges.append(trim(bytes, start..<index))
                start = index + 1
            }
            index += 1
        }
        ranges.append(trim(bytes, start..<bytes.count))
        return ranges
    }

    static func trim(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> Range<Int> {
        var lower = range.lowerBound
        var upper = range.upperBound
        while lower < upper, SIPCharacterClass.isWhitespace(bytes[lower]) { lower += 1 }
        while upper > lower, SIPCharacterClass.isWhitespace(bytes[upper - 1]) { upper -= 1 }
        return lower..<upper
    }
}
