import NIOCore

/// Frames a message that arrives whole: a UDP datagram (RFC 3261 section 18.3) or a WebSocket message
/// (RFC 7118 section 5). Content-Length is optional: without it the body is the rest of the datagram; a
/// shorter value drops the excess octets (RFC 4475 section 3.1.1.8); a longer one is a 400.
public struct SIPDatagramDecoder: Sendable {
    public var parser: SIPMessageParser

    public init(limits: SIPLimits = .default) {
        self.parser = SIPMessageParser(limits: limits)
    }

    public func decode(_ datagram: ByteBuffer) -> SIPFrame {
        guard datagram.readableBytes <= parser.limits.maxMessageBytes else {
            return .rejected(
                SIPParseError(
                    .messageTooLarge, status: .messageTooLarge,
                    detail: "message over \(parser.limits.maxMessageBytes) bytes"),
                head: nil)
        }
        return datagram.withUnsafeReadableBytes { bytes in decode(bytes, in: datagram) }
    }

    private func decode(_ bytes: UnsafeRawBufferPointer, in datagram: ByteBuffer) -> SIPFrame {
        // RFC 5626 section 3.5.1 keep-alives, and stray line ends before a start line (RFC 3261 7.5).
        var start = 0
        while start < bytes.count, bytes[start] == UInt8(ascii: "\r") || bytes[start] == UInt8(ascii: "\n") {
            start += 1
        }
        if start == bytes.count { return start >= 4 ? .keepAlivePing : .keepAlivePong }

        let headerEnd: Int
        let bodyStart: Int
        if let end = SIPMessageParser.findHeaderEnd(bytes, from: start) {
            (headerEnd, bodyStart) = end
        } else {
            // A message whose header section reaches the end of the datagram without the blank line.
            headerEnd = bytes.count
            bodyStart = bytes.count
        }
        let head: SIPMessageHead
        do {
            let headBytes = datagram.getSlice(at: datagram.readerIndex + start, length: headerEnd - start)!
            head = try parser.parseHead(UnsafeRawBufferPointer(rebasing: bytes[start..<headerEnd]), in: headBytes)
        } catch {
            return .rejected(error, head: nil)
        }

        let available = bytes.count - bodyStart
        let bodyLength: Int
        if let contentLength = head.contentLength {
            guard contentLength <= available else {
                return .rejected(
                    SIPParseError(.truncatedBody, detail: "Content-Length larger than the message"), head: head)
            }
            bodyLength = contentLength
        } else {
            bodyLength = available
        }
        guard bodyLength <= parser.limits.maxBodyBytes else {
            return .rejected(
                SIPParseError(.bodyTooLarge, status: .requestEntityTooLarge, detail: "body too large"), head: head)
        }
        let body = datagram.getSlice(at: datagram.readerIndex + bodyStart, length: bodyLength)!
        return parser.assemble(head, body: body)
    }
}
