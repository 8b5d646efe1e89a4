import SIPCore

/// A message/cpim body (RFC 3862): the original sender and recipient, the time, and the IMDN message id
/// (RFC 5438 section 6.3) around the encapsulated text. Parley sends room messages this way so that a
/// client sees who wrote them although the SIP request comes from the room.
public struct CPIMMessage: Hashable, Sendable {
    public struct Address: Hashable, Sendable {
        /// The Formal-name, if any.
        public var name: String?
        public var uri: String

        public init(name: String?, uri: String) {
            self.name = name
            self.uri = uri
        }
    }

    public var from: Address
    public var to: Address
    /// Milliseconds since 1970 (UTC).
    public var dateTimeMs: Int64
    public var messageID: String?
    public var contentType: String
    public var body: String

    public init(from: Address, to: Address, dateTimeMs: Int64, messageID: String?, contentType: String, body: String) {
        self.from = from
        self.to = to
        self.dateTimeMs = dateTimeMs
        self.messageID = messageID
        self.contentType = contentType
        self.body = body
    }

    public static let mediaType = "message/cpim"
    static let imdnNamespace = "urn:ietf:params:imdn"

    /// The body in wire form: message headers, a blank line, the MIME headers of the content, a blank line,
    /// the content (RFC 3862 section 3.1).
    public var serialized: String {
        var lines = [
            "From: " + Self.format(from),
            "To: " + Self.format(to),
            "DateTime: " + CPIMDateTime.format(milliseconds: dateTimeMs),
        ]
        if let messageID {
            lines.append("NS: imdn <\(Self.imdnNamespace)>")
            lines.append("imdn.Message-ID: " + Self.headerSafe(messageID))
        }
        lines.append("")
        lines.append("Content-Type: " + Self.headerSafe(contentType))
        lines.append("")
        return lines.joined(separator: "\r\n") + "\r\n" + body
    }

    /// Formal-name as a quoted string (section 3.3.1), the URI in angle brackets.
    static func format(_ address: Address) -> String {
        guard let name = address.name, !name.isEmpty else { return "<\(headerSafe(address.uri))>" }
        return QuotedString.quote(headerSafe(name)) + " <\(headerSafe(address.uri))>"
    }

    /// Header values are one line: control characters (CR, LF among them) are dropped.
    static func headerSafe(_ text: String) -> String {
        String(text.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F }.map(Character.init))
    }
}
