extension SessionDescription {
    /// The description with CRLF line ends in RFC 8866 section 5 order. Parsing then serializing a well-ordered
    /// CRLF description gives back the same bytes: attributes keep their order and exact text.
    public func serialized() -> String {
        var writer = SDPLineWriter()
        writer.line("v", String(version))
        writer.line("o", origin.description)
        writer.line("s", sessionName)
        writer.line("i", information)
        writer.line("u", uri)
        for email in emails { writer.line("e", email) }
        for phone in phones { writer.line("p", phone) }
        writer.line("c", connection?.description)
        for bandwidth in bandwidths { writer.line("b", bandwidth.description) }
        // RFC 8866 section 5.9: at least one t= line; a description parsed without one gets the permanent session.
        for timing in timings.isEmpty ? [SDPTiming()] : timings {
            writer.line("t", timing.description)
            for repeatTime in timing.repeatTimes { writer.line("r", repeatTime) }
        }
        writer.line("z", timeZones)
        writer.line("k", encryptionKey)
        for attribute in attributes { writer.line("a", attribute.description) }
        for section in media { section.write(to: &writer) }
        return writer.text
    }

    /// `serialized()` as UTF-8 bytes, ready for a SIP body.
    public func serializedBytes() -> [UInt8] {
        Array(serialized().utf8)
    }
}

extension MediaDescription {
    // RFC 8866 section 5: m=, i=, c=*, b=*, k=, a=*.
    fileprivate func write(to writer: inout SDPLineWriter) {
        writer.line("m", mediaLine)
        writer.line("i", information)
        for connection in connections { writer.line("c", connection.description) }
        for bandwidth in bandwidths { writer.line("b", bandwidth.description) }
        writer.line("k", encryptionKey)
        for attribute in attributes { writer.line("a", attribute.description) }
    }
}

/// Accumulates `<type>=<value>CRLF` lines.
private struct SDPLineWriter {
    var text = ""

    mutating func line(_ type: Character, _ value: String?) {
        guard let value else { return }
        text.append(type)
        text.append("=")
        text.append(value)
        text.append("\r\n")
    }
}
