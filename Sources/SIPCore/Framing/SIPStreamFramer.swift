import NIOCore

/// Frames messages on a byte stream (TCP, TLS) by Content-Length (RFC 3261 section 18.3), and recognises
/// the RFC 5626 CRLF keep-alives between messages. Sans-IO: feed bytes with `append`, take frames with
/// `next`. A thrown error means the framing is lost: answer if you can, then close the connection.
public struct SIPStreamFramer: Sendable {
    public let parser: SIPMessageParser
    private var buffer = ByteBuffer()
    /// A parsed head waiting for the rest of its body.
    private var pending: (head: SIPMessageHead, bodyLength: Int)?

    public init(limits: SIPLimits = .default) {
        self.parser = SIPMessageParser(limits: limits)
    }

    /// Bytes received and not yet framed.
    public var bufferedBytes: Int { buffer.readableBytes }

    public mutating func append(_ bytes: ByteBuffer) {
        var bytes = bytes
        if buffer.readerIndex > 0, buffer.readerIndex >= buffer.capacity / 2 { buffer.discardReadBytes() }
        buffer.writeBuffer(&bytes)
    }

    /// The next frame, or nil until more bytes arrive.
    public mutating func next() throws(SIPParseError) -> SIPFrame? {
        if let (head, bodyLength) = pending {
            guard buffer.readableBytes >= bodyLength else { return nil }
            // Messages get storage of their own: slices of the stream buffer would make each append copy it.
            let body = ByteBuffer(bytes: buffer.readableBytesView.prefix(bodyLength))
            buffer.moveReaderIndex(forwardBy: bodyLength)
            pending = nil
            return parser.assemble(head, body: body)
        }

        let cr = UInt8(ascii: "\r")
        let lf = UInt8(ascii: "\n")
        while let first = buffer.readableBytesView.first, first == cr || first == lf {
            // RFC 5626 section 3.5.1: CRLFCRLF is a ping, a lone CRLF the pong; RFC 3261 section 7.5: line
            // ends before a start line are ignored, which is what answering a ping with CRLF amounts to.
            let prefix = Array(buffer.readableBytesView.prefix(4))
            let ping: [UInt8] = [cr, lf, cr, lf]
            if prefix == ping {
                buffer.moveReaderIndex(forwardBy: 4)
                return .keepAlivePing
            }
            // Part of a ping so far: wait for the rest. Clients ping and servers pong (RFC 5626 section
            // 4.4.1), so a pong is only reported once the next bytes show it was not a ping.
            if ping.starts(with: prefix) { return nil }
            if prefix.starts(with: [cr, lf]) {
                buffer.moveReaderIndex(forwardBy: 2)
                return .keepAlivePong
            }
            buffer.moveReaderIndex(forwardBy: 1)
        }
        guard buffer.readableBytes > 0 else { return nil }

        let searchLimit = parser.limits.maxHeaderSectionBytes
        let found = buffer.withUnsafeReadableBytes { bytes in
            SIPMessageParser.findHeaderEnd(UnsafeRawBufferPointer(rebasing: bytes.prefix(searchLimit + 4)))
        }
        guard let (headerEnd, bodyStart) = found else {
            guard buffer.readableBytes <= searchLimit else {
                throw SIPParseError(
                    .messageTooLarge, status: .messageTooLarge, detail: "header section over \(searchLimit) bytes")
            }
            return nil
        }
        let headBytes = ByteBuffer(bytes: buffer.readableBytesView.prefix(headerEnd))
        buffer.moveReaderIndex(forwardBy: bodyStart)
        let head = try parser.parseHead(headBytes)
        // RFC 3261 section 18.3 requires Content-Length on streams; a missing one is read as 0, as most
        // implementations do, rather than losing the connection.
        let bodyLength = head.contentLength ?? 0
        guard bodyLength + bodyStart <= parser.limits.maxMessageBytes else {
            throw SIPParseError(.messageTooLarge, status: .messageTooLarge, detail: "message too large")
        }
        pending = (head, bodyLength)
        return try next()
    }
}
