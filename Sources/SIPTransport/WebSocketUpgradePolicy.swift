import NIOHTTP1

/// Which HTTP requests may become SIP WebSockets (RFC 7118 section 4, RFC 6455 section 4.2.1).
public struct WebSocketUpgradePolicy: Sendable {
    /// The path of the SIP WebSocket on the HTTPS port.
    public var path: String
    /// Browser origins allowed to upgrade (`scheme://host[:port]`); nil falls back to `sameOriginScheme`.
    public var allowedOrigins: Set<String>?
    /// Without a list: a browser may upgrade only from the page's own origin, `<scheme>://<Host>`
    /// (DESIGN.md: default Parley's own origin; no cross-site WebSocket hijacking). Nil allows any origin.
    public var sameOriginScheme: String?

    public init(path: String = "/sip", allowedOrigins: Set<String>? = nil, sameOriginScheme: String? = nil) {
        self.path = path
        self.allowedOrigins = allowedOrigins.map { Set($0.map(Self.normalized)) }
        self.sameOriginScheme = sameOriginScheme
    }

    public enum Decision: Equatable, Sendable {
        case upgrade
        case refuse(HTTPResponseStatus, reason: String)
    }

    public func decide(_ head: HTTPRequestHead) -> Decision {
        let path = head.uri.split(separator: "?", maxSplits: 1).first.map(String.init) ?? head.uri
        guard path == self.path else { return .refuse(.notFound, reason: "no WebSocket service at \(path)") }
        // A request without Origin is not a browser: it may upgrade, then authenticates like any device.
        if let origin = head.headers.first(name: "Origin"),
            !allows(origin: origin, host: head.headers.first(name: "Host"))
        {
            return .refuse(.forbidden, reason: "this origin may not open the SIP WebSocket")
        }
        // RFC 7118 section 4.1: the client MUST offer the "sip" subprotocol.
        let offered = head.headers[canonicalForm: "Sec-WebSocket-Protocol"].map { $0.lowercased() }
        guard offered.contains("sip") else {
            return .refuse(.badRequest, reason: "the SIP WebSocket needs Sec-WebSocket-Protocol: sip")
        }
        return .upgrade
    }

    private func allows(origin: String, host: String?) -> Bool {
        let origin = Self.normalized(origin)
        if let allowedOrigins { return allowedOrigins.contains(origin) }
        guard let scheme = sameOriginScheme else { return true }
        guard let host else { return false }
        return origin == Self.normalized("\(scheme)://\(host)")
    }

    /// RFC 6454 section 6.2: scheme and host compare without case; the scheme's default port is implied.
    static func normalized(_ origin: String) -> String {
        var text = origin.lowercased()
        while text.hasSuffix("/") { text.removeLast() }
        if text.hasPrefix("https://"), text.hasSuffix(":443") { text.removeLast(4) }
        if text.hasPrefix("http://"), text.hasSuffix(":80") { text.removeLast(3) }
        return text
    }
}
