/// Input bounds enforced by the parser and the framers (DESIGN.md convention 6). Defaults are safe for a
/// server exposed to the Internet; every field is a setting.
public struct SIPLimits: Hashable, Sendable {
    /// Largest whole message (start line, headers and body). RFC 3261 section 18.3 leaves it to the
    /// implementation; 64 KiB fits every UDP datagram and any sane stream message.
    public var maxMessageBytes: Int
    /// Largest header section (start line and header lines) a stream framer waits for.
    public var maxHeaderSectionBytes: Int
    /// Largest single line, folded continuation lines included.
    public var maxLineBytes: Int
    /// Most header fields in one message.
    public var maxHeaderCount: Int
    /// Largest body.
    public var maxBodyBytes: Int

    public init(
        maxMessageBytes: Int = 65_536,
        maxHeaderSectionBytes: Int = 16_384,
        maxLineBytes: Int = 8_192,
        maxHeaderCount: Int = 128,
        maxBodyBytes: Int = 60_000
    ) {
        self.maxMessageBytes = maxMessageBytes
        self.maxHeaderSectionBytes = maxHeaderSectionBytes
        self.maxLineBytes = maxLineBytes
        self.maxHeaderCount = maxHeaderCount
        self.maxBodyBytes = maxBodyBytes
    }

    public static let `default` = SIPLimits()
}
