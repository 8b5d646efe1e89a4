/// `a=fmtp`. RFC 8866 section 6.15:
/// ```
/// fmtp-value = fmt SP format-specific-params
/// ```
/// The parameters are format-specific; most (Opus, H.264, telephone-event's `0-15` aside) are `key=value;...`
/// (RFC 7587 section 7, RFC 6184 section 8.1). They are kept raw and parsed on demand by `parameterList`.
public struct FormatParameters: SDPAttributeConvertible {
    public static let attributeName = "fmtp"

    /// One `name[=value]` item of the parameter string.
    public struct Parameter: Hashable, Sendable, CustomStringConvertible {
        public var name: String
        public var value: String?

        public init(name: String, value: String? = nil) {
            self.name = name
            self.value = value
        }

        /// `name=value`, or `name` alone.
        public var description: String {
            if let value { "\(name)=\(value)" } else { name }
        }
    }

    /// The format the parameters apply to: an RTP payload type for RTP media.
    public var format: String
    public var parameters: String

    public init(format: String, parameters: String) {
        self.format = format
        self.parameters = parameters
    }

    public init(format: String, parameters: [Parameter]) {
        self.init(
            format: format,
            parameters: parameters.map(\.description).joined(separator: ";"))
    }

    public init(payloadType: UInt8, parameters: [Parameter]) {
        self.init(format: String(payloadType), parameters: parameters)
    }

    public init(attributeValue: String) throws(SDPParseError) {
        let value = SDPText.trimmed(attributeValue)
        let separator = value.firstIndex(where: { $0 == " " || $0 == "\t" }) ?? value.endIndex
        let format = value[..<separator]
        guard SDPText.isToken(format) else { throw .attribute("fmtp", "expected <format> <parameters>") }
        // An empty parameter string breaks the ABNF but carries no meaning; it is accepted.
        self.init(format: String(format), parameters: String(SDPText.trimmed(value[separator...])))
    }

    public var attributeValue: String { "\(format) \(parameters)" }

    /// The payload type, when the format is one.
    public var payloadType: UInt8? { SDPText.number(format, as: UInt8.self).flatMap { $0 <= 127 ? $0 : nil } }

    /// `a;b=c; d=e` as `[a, b=c, d=e]`: split on `;`, surrounding spaces dropped, empty items skipped.
    public var parameterList: [Parameter] {
        parameters.split(separator: ";").compactMap { item in
            let item = SDPText.trimmed(item)
            guard !item.isEmpty else { return nil }
            guard let equals = item.firstIndex(of: "=") else { return Parameter(name: String(item)) }
            return Parameter(
                name: String(SDPText.trimmed(item[..<equals])),
                value: String(SDPText.trimmed(item[item.index(after: equals)...])))
        }
    }

    /// The value of a `key=value` parameter; keys compare case-insensitively (RFC 7587 section 7, RFC 6184).
    public subscript(_ name: String) -> String? {
        parameterList.first { SDPText.equalsIgnoringCase($0.name, name) }?.value
    }
}
