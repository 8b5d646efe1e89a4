/// A c= line. RFC 8866 section 5.7:
/// ```
/// connection-field = [%s"c" "=" nettype SP addrtype SP connection-address CRLF]
/// ```
/// The connection address keeps any multicast `/ttl/count` suffix as raw text in `address`.
public struct SDPConnection: Hashable, Sendable, CustomStringConvertible {
    public var networkType: String
    public var addressType: String
    public var address: String

    public init(networkType: String = "IN", addressType: String = "IP4", address: String) {
        self.networkType = networkType
        self.addressType = addressType
        self.address = address
    }

    /// IPv4 or IPv6 by the form of the address.
    public init(address: String) {
        self.init(addressType: address.contains(":") ? "IP6" : "IP4", address: address)
    }

    public init(parsing text: some StringProtocol) throws(SDPParseError) {
        let fields = SDPText.fields(text)
        guard fields.count == 3 else {
            throw SDPParseError(.malformedConnection, reason: "c= needs 3 fields, found \(fields.count)")
        }
        self.init(networkType: String(fields[0]), addressType: String(fields[1]), address: String(fields[2]))
    }

    /// The address without a multicast `/ttl` or `/count` suffix.
    public var host: String {
        address.firstIndex(of: "/").map { String(address[..<$0]) } ?? address
    }

    public var isIPv6: Bool { SDPText.equalsIgnoringCase(addressType, "IP6") }

    /// `0.0.0.0` or `::`: RFC 3264 section 8.4 hold in old devices, or "no address yet" in WebRTC (RFC 8839).
    public var isUnspecified: Bool { host == "0.0.0.0" || host == "::" }

    /// The text after `c=`.
    public var description: String { "\(networkType) \(addressType) \(address)" }
}
