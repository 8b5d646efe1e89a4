import NIOCore

/// Writes messages in wire form. Header values are written as held, so an unchanged message keeps its
/// bytes; Content-Length is always written from the body's real size (RFC 3261 section 18.3 needs it on
/// streams and it must never disagree with the body).
extension SIPMessage {
    public func write(into buffer: inout ByteBuffer) {
        switch self {
        case .request(let request): request.write(into: &buffer)
        case .response(let response): response.write(into: &buffer)
        }
    }

    public var serialized: ByteBuffer {
        var buffer = ByteBuffer()
        write(into: &buffer)
        return buffer
    }
}

extension SIPRequest {
    public func write(into buffer: inout ByteBuffer) {
        buffer.writeString(method.rawValue)
        buffer.writeInteger(UInt8(ascii: " "))
        buffer.writeString(uri.description)
        buffer.writeStaticString(" SIP/2.0\r\n")
        headers.write(into: &buffer, bodyLength: body.readableBytes)
        buffer.writeImmutableBuffer(body)
    }

    public var serialized: ByteBuffer {
        var buffer = ByteBuffer()
        write(into: &buffer)
        return buffer
    }
}

extension SIPResponse {
    public func write(into buffer: inout ByteBuffer) {
        buffer.writeStaticString("SIP/2.0 ")
        buffer.writeString(String(status.code))
        buffer.writeInteger(UInt8(ascii: " "))
        buffer.writeString(reasonPhrase)
        buffer.writeStaticString("\r\n")
        headers.write(into: &buffer, bodyLength: body.readableBytes)
        buffer.writeImmutableBuffer(body)
    }

    public var serialized: ByteBuffer {
        var buffer = ByteBuffer()
        write(into: &buffer)
        return buffer
    }
}

extension SIPHeaders {
    /// Writes the header lines and the blank line; Content-Length takes the place of the received one, or
    /// comes last.
    func write(into buffer: inout ByteBuffer, bodyLength: Int) {
        var wroteContentLength = false
        for field in fields {
            if field.name.known == .contentLength {
                guard !wroteContentLength else { continue }
                wroteContentLength = true
                Self.writeName(field.name, into: &buffer)
                buffer.writeString(String(bodyLength))
                buffer.writeStaticString("\r\n")
                continue
            }
            Self.writeName(field.name, into: &buffer)
            buffer.writeImmutableBuffer(field.value)
            buffer.writeStaticString("\r\n")
        }
        if !wroteContentLength {
            buffer.writeStaticString("Content-Length: ")
            buffer.writeString(String(bodyLength))
            buffer.writeStaticString("\r\n")
        }
        buffer.writeStaticString("\r\n")
    }

    private static func writeName(_ name: HeaderName, into buffer: inout ByteBuffer) {
        if let known = name.known {
            if name.isCompact, let compact = known.definition.compactForm {
                buffer.writeInteger(compact)
            } else {
                buffer.writeStaticString(known.definition.name)
            }
        } else {
            buffer.writeString(name.description)
        }
        buffer.writeStaticString(": ")
    }
}
