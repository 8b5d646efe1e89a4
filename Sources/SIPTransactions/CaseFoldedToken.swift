/// Text that compares and hashes ASCII-case-insensitively without making a lower-cased copy.
///
/// RFC 3261 section 7.3.1: "Unless otherwise stated in the definition of a particular header field, field
/// values, parameter names, and parameter values are case-insensitive. Tokens are always case-insensitive."
/// Neither the Via `branch` (a token, section 20.42) nor sent-by's host (section 19.1.4) is stated otherwise.
struct CaseFoldedToken: Hashable, Sendable, CustomStringConvertible {
    let value: String

    init(_ value: String) {
        self.value = value
    }

    var description: String { value }

    static func == (lhs: CaseFoldedToken, rhs: CaseFoldedToken) -> Bool {
        let left = lhs.value.utf8
        let right = rhs.value.utf8
        guard left.count == right.count else { return false }
        return left.elementsEqual(right) { fold($0) == fold($1) }
    }

    func hash(into hasher: inout Hasher) {
        // Eight folded bytes per combine: a byte at a time costs a Hasher round per byte.
        var count = 0
        var word: UInt64 = 0
        for byte in value.utf8 {
            word = word << 8 | UInt64(Self.fold(byte))
            count += 1
            if count & 7 == 0 {
                hasher.combine(word)
                word = 0
            }
        }
        hasher.combine(word)
        hasher.combine(count)
    }

    @inline(__always)
    static func fold(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
    }
}
