/// The o= line. RFC 8866 section 5.2:
/// ```
/// origin-field = %s"o" "=" username SP sess-id SP sess-version SP nettype SP addrtype SP unicast-address CRLF
/// ```
/// `sess-id` and `sess-version` are kept as text: they are `1*DIGIT` with no upper bound (Chrome sends 19 digits).
public struct SDPOrigin: Hashable, Sendable, CustomStringConvertible {
    public var username: String
    public var sessionID: String
    public var sessionVersion: String
    public var networkType: String
    public var addressType: String
    public var address: String

    public init(
        username: String = "-", sessionID: String, sessionVersion: String, networkType: String = "IN",
        addressType: String = "IP4", address: String
    ) {
        self.username = username
        self.sessionID = sessionID
        self.sessionVersion = sessionVersion
        self.networkType = networkType
        self.addressType = addressType
        self.address = address
    }

    /// Parses the text after `o=`. Exactly six fields; the numeric fields are not range-checked (liberal).
    public init(parsing text: some StringProtocol) throws(SDPParseError) {
        let fields = SDPText.fields(text)
        guard fields.count == 6 else {
            throw SDPParseError(.malformedOrigin, reason: "o= needs 6 fields, found \(fields.count)")
        }
        self.init(
            username: String(fields[0]), sessionID: String(fields[1]), sessionVersion: String(fields[2]),
            networkType: String(fields[3]), addressType: String(fields[4]), address: String(fields[5]))
    }

    /// The session version as a number when it fits in 64 bits.
    public var sessionVersionNumber: UInt64? { SDPText.number(sessionVersion) }

    /// RFC 3264 section 8: a modified offer or answer increments the version by one. Done in decimal text so that
    /// a version beyond 64 bits still increments; a non-numeric version restarts at 1.
    public mutating func incrementSessionVersion() {
        guard !sessionVersion.isEmpty, sessionVersion.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
            sessionVersion = "1"
            return
        }
        var digits = Array(sessionVersion.utf8)
        var index = digits.count - 1
        while index >= 0 {
            if digits[index] == 0x39 {
                digits[index] = 0x30
                index -= 1
            } else {
                digits[index] += 1
                break
            }
        }
        if index < 0 { digits.insert(0x31, at: 0) }
        sessionVersion = String(decoding: digits, as: UTF8.self)
    }

    /// The text after `o=`.
    public var description: String {
        "\(username) \(sessionID) \(sessionVersion) \(networkType) \(addressType) \(address)"
    }
}
