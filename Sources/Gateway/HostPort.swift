/// A listener address given as `HOST:PORT`, `:PORT` (every interface) or `[IPv6]:PORT`.
public struct HostPort: Hashable, Sendable, CustomStringConvertible {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Why a text is not a listener address.
    public struct ParseFailure: Error, Sendable {
        public var reason: String
    }

    public static func parse(_ text: String) -> Result<HostPort, ParseFailure> {
        let hostPart: Substring
        let portPart: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else {
                return .failure(ParseFailure(reason: "expected [IPv6]:PORT"))
            }
            hostPart = text[text.index(after: text.startIndex)..<close]
            portPart = text[text.index(close, offsetBy: 2)...]
        } else {
            guard let colon = text.lastIndex(of: ":") else { return .failure(ParseFailure(reason: "expected HOST:PORT")) }
            hostPart = text[..<colon]
            portPart = text[text.index(after: colon)...]
        }
        guard let port = Int(portPart), (0...65535).contains(port) else {
            return .failure(ParseFailure(reason: "the port must be a number from 0 to 65535"))
        }
        return .success(HostPort(host: hostPart.isEmpty ? "0.0.0.0" : String(hostPart), port: port))
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}
