import NIOHTTP1

/// Which HTTP requests may become SIP WebSockets (RFC 7118 section 4, RFC 6455 section 4.2.1).
public struct WebSocketUpgradePolicy: Sendable {
    /// The path of the SIP WebSocket on the HTTPS port.
    public var path: String
    /// Browser origins allowed to upgrade; nil allows any. A request without Origin is not a browser and
    /// may upgrade, then authenticates like any device (DESIGN.md, "Who may connect").
    public var allowedOrigins: Set<String>?

    public init(path: String = "/sip", allowedOrigins: Set<String>? = nil) {
        self.path = path
        self.allowedOrigins = allowedOrigins
    }

    public enum Decision: Equatable, Sendable {
        case upgrade
        case refuse(HTTPResponseStatus, reason: String)
    }

    public func decide(_ head: HTTPRequestHead) -> Decision {
        let path = head.uri.split(separator: "?", maxSplits: 1).first.map(String.init) ?? head.uri
        guard path == self.path else { return .refuse(.notFound, reason: "no WebSocket service at \(path)") }
        if let allowedOrigins, let origin = head.headers.first(name: "Origin"), !allowedOrigins.contains(origin) {
            return .refuse(.forbidden, reason: "origin \(origin) is not allowed")
        }
        // RFC 7118 section 4.1: the client MUST offer the "sip" subprotocol.
        let offered = head.headers[canonicalForm: "Sec-WebSocket-Protocol"].map { $0.lowercased() }
        guard offered.contains("sip") else {
            return .refuse(.badRequest, reason: "the SIP WebSocket needs Sec-WebSocket-Protocol: sip")
        }
        return .upgrade
    }
}
