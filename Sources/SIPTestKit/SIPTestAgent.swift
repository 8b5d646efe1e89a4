import NIOConcurrencyHelpers
import NIOCore
import SIPCore

/// A small SIP user agent for tests and load tools: one UDP socket, TCP connection or WebSocket to the
/// server; it sends text or messages, keeps what arrives, and answers digest challenges. It is a peer
/// written apart from the server's engines, so tests exercise the server from the outside.
public final class SIPTestAgent: Sendable {
    public let transport: SIPTransportKind
    /// Where this agent receives (its socket's address), for Via and Contact.
    public let localAddress: SIPPeerAddress
    /// The server's address.
    public let server: SIPPeerAddress
    let channel: any Channel
    let inbox = NIOLockedValueBox<[SIPMessage]>([])
    let counter = NIOLockedValueBox<UInt64>(0)
    /// Called for every message before it reaches the inbox; returning true consumes it.
    let interceptor: NIOLockedValueBox<(@Sendable (SIPMessage, SIPTestAgent) -> Bool)?>
    /// A random token naming this agent in WebSocket Via and Contact hosts (RFC 7118 section 5.2).
    public let instanceToken: String

    init(transport: SIPTransportKind, localAddress: SIPPeerAddress, server: SIPPeerAddress, channel: any Channel) {
        self.transport = transport
        self.localAddress = localAddress
        self.server = server
        self.channel = channel
        self.interceptor = NIOLockedValueBox(nil)
        self.instanceToken = String(UInt64.random(in: 1...UInt64.max), radix: 36)
    }

    /// Handles messages as they arrive (for user agents that answer by themselves).
    public func onMessage(_ handler: (@Sendable (SIPMessage, SIPTestAgent) -> Bool)?) {
        interceptor.withLockedValue { $0 = handler }
    }

    func received(_ message: SIPMessage) {
        if let handler = interceptor.withLockedValue({ $0 }), handler(message, self) { return }
        inbox.withLockedValue { $0.append(message) }
    }

    // MARK: Sending

    public func send(_ message: SIPMessage) {
        send(bytes: message.serialized)
    }

    /// Sends raw text (line ends given as CRLF by the caller).
    public func send(text: String) {
        send(bytes: ByteBuffer(string: text))
    }

    public func send(bytes: ByteBuffer, to destination: SIPPeerAddress? = nil) {
        let server = destination ?? self.server
        switch transport {
        case .udp:
            guard let address = try? SocketAddress(ipAddress: server.host, port: Int(server.port)) else { return }
            channel.writeAndFlush(AddressedEnvelope(remoteAddress: address, data: bytes), promise: nil)
        case .tcp, .tls:
            channel.writeAndFlush(bytes, promise: nil)
        case .ws, .wss:
            channel.writeAndFlush(WebSocketTestFrames.text(bytes), promise: nil)
        }
    }

    public func close() async {
        try? await channel.close()
    }

    // MARK: Receiving

    /// The first message (in arrival order) that matches, waiting up to `timeout`.
    public func next(
        timeout: Duration = .seconds(5), where matches: @Sendable (SIPMessage) -> Bool = { _ in true }
    ) async throws -> SIPMessage {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        while true {
            let found = inbox.withLockedValue { messages -> SIPMessage? in
                guard let index = messages.firstIndex(where: matches) else { return nil }
                return messages.remove(at: index)
            }
            if let found { return found }
            guard clock.now < deadline else { throw SIPTestAgentError.timeout("no matching message in \(timeout)") }
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    /// The final response to the request with this Call-ID and CSeq number (provisionals skipped).
    public func finalResponse(callID: String, cseq: UInt32, timeout: Duration = .seconds(5)) async throws -> SIPResponse {
        let message = try await next(timeout: timeout) { message in
            guard let response = message.response, response.status.isFinal else { return false }
            return (try? response.headers.callID)??.value == callID && (try? response.headers.cseq)??.sequence == cseq
        }
        return message.response!
    }

    /// The next request with this method.
    public func nextRequest(_ method: SIPMethod, timeout: Duration = .seconds(5)) async throws -> SIPRequest {
        try await next(timeout: timeout) { $0.request?.method == method }.request!
    }

    public var pendingCount: Int { inbox.withLockedValue { $0.count } }

    // MARK: Identifiers

    public func uniqueToken() -> String {
        let number = counter.withLockedValue { value -> UInt64 in
            value += 1
            return value
        }
        return "\(instanceToken)\(number)"
    }

    public func newBranch() -> String { Branch.magicCookie + uniqueToken() }
}

public enum SIPTestAgentError: Error, CustomStringConvertible {
    case timeout(String)
    case connect(String)
    case unexpected(String)

    public var description: String {
        switch self {
        case .timeout(let text), .connect(let text), .unexpected(let text): return text
        }
    }
}
