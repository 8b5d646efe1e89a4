/// Input bounds enforced by `SDPParser` (DESIGN.md convention 6). The defaults are safe for bodies received
/// from the Internet; every field is a setting.
public struct SDPLimits: Hashable, Sendable {
    /// Largest body accepted. An SDP rides inside a SIP message, itself bounded at 64 KiB.
    public var maxBodyBytes: Int
    /// Most lines in one description (a Chrome audio+video+data offer is about 150).
    public var maxLines: Int
    /// Longest single line, without its line end.
    public var maxLineBytes: Int
    /// Most m= sections; each one costs a media port and a bridge leg.
    public var maxMediaSections: Int

    public init(
        maxBodyBytes: Int = 65_536, maxLines: Int = 1_024, maxLineBytes: Int = 4_096, maxMediaSections: Int = 16
    ) {
        self.maxBodyBytes = maxBodyBytes
        self.maxLines = maxLines
        self.maxLineBytes = maxLineBytes
        self.maxMediaSections = maxMediaSections
    }

    public static let `default` = SDPLimits()
}
