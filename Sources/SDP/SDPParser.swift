/// Parses RFC 8866 session descriptions under `SDPLimits`.
///
/// Rules, and where it is deliberately liberal:
/// - Lines end in CRLF or a bare LF (RFC 8866 section 5 requires CRLF; devices send LF). Empty lines at the end are
///   ignored; an empty line elsewhere is malformed. The last line may lack its line end.
/// - Each line is `<type>=<value>` with a single lowercase letter type and no space around `=` (section 5). A NUL or
///   CR inside a line is malformed. Unknown lowercase types are ignored (section 5 asks to ignore the whole
///   description; dropping only the line is kinder to odd devices and loses nothing we use).
/// - v= must come first and be 0; o= and s= are required once at session level, in any order after v=.
/// - t= is required by section 5.9 but accepted missing unless `requiresTiming` is set: a few gateways omit it and
///   the serializer writes `t=0 0` back for such a description.
/// - r= must follow a t=; session-only lines (o, s, u, e, p, t, r, z) after the first m= are misplaced; single lines
///   (o, s, i, u, c, z, k at session level; i, k per media) may not repeat. Within a level the remaining order is
///   not enforced; the serializer writes RFC order back.
/// - Attributes are kept verbatim. Known ones (rtpmap, fmtp, candidate, fingerprint, setup, group, rtcp, ssrc,
///   extmap, msid, mid, ice-ufrag, ice-pwd) are checked against their grammar when `validatesKnownAttributes` is set,
///   so that the typed views never hide a malformed line. Unknown attributes are opaque.
public struct SDPParser: Sendable {
    public var limits: SDPLimits
    /// Reject a description without t= (RFC 8866 section 5.9 MUST); off by default to be liberal.
    public var requiresTiming: Bool
    /// Check the grammar of the attributes that have typed views.
    public var validatesKnownAttributes: Bool

    public init(limits: SDPLimits = .default, requiresTiming: Bool = false, validatesKnownAttributes: Bool = true) {
        self.limits = limits
        self.requiresTiming = requiresTiming
        self.validatesKnownAttributes = validatesKnownAttributes
    }

    /// Parses a body received as bytes. Invalid UTF-8 is replaced by U+FFFD: only free-text fields may carry other
    /// charsets (RFC 8866 section 6.10) and nothing reads them.
    public func parse(bytes: some Collection<UInt8>) throws(SDPParseError) -> SessionDescription {
        guard bytes.count <= limits.maxBodyBytes else { throw bodyTooLarge() }
        return try parse(String(decoding: bytes, as: UTF8.self))
    }

    public func parse(_ text: String) throws(SDPParseError) -> SessionDescription {
        guard text.utf8.count <= limits.maxBodyBytes else { throw bodyTooLarge() }
        let lines = try splitLines(text)
        guard !lines.isEmpty else { throw SDPParseError(.missingVersion, reason: "empty description") }
        var builder = Builder()
        for (offset, line) in lines.enumerated() {
            let number = offset + 1
            do throws(SDPParseError) {
                try parseLine(line, isFirst: offset == 0, into: &builder)
            } catch {
                throw error.line == nil ? error.at(line: number) : error
            }
        }
        return try builder.finish(requiresTiming: requiresTiming)
    }

    private func bodyTooLarge() -> SDPParseError {
        SDPParseError(.bodyTooLarge, reason: "body larger than \(limits.maxBodyBytes) bytes")
    }

    /// Splits on LF, drops a CR before it, drops empty trailing lines and applies the line limits.
    private func splitLines(_ text: String) throws(SDPParseError) -> [Substring] {
        let utf8 = text.utf8
        var lines: [Substring] = []
        var start = utf8.startIndex
        var index = start
        // LF and CR are always grapheme boundaries, so the UTF-8 indices slice the String directly.
        func append(upTo end: String.Index) throws(SDPParseError) {
            var end = end
            if end > start, utf8[utf8.index(before: end)] == 0x0D { end = utf8.index(before: end) }
            lines.append(text[start..<end])
            // Empty lines past the limit may still be trailing ones (dropped below); a non-empty one is over it.
            if lines.count > limits.maxLines, !lines[lines.count - 1].isEmpty {
                throw SDPParseError(.tooManyLines, line: lines.count, reason: "more than \(limits.maxLines) lines")
            }
        }
        while index != utf8.endIndex {
            if utf8[index] == 0x0A {
                try append(upTo: index)
                start = utf8.index(after: index)
            }
            index = utf8.index(after: index)
        }
        if start != utf8.endIndex { try append(upTo: utf8.endIndex) }
        while lines.last?.isEmpty == true { lines.removeLast() }
        for (offset, line) in lines.enumerated() where line.utf8.count > limits.maxLineBytes {
            throw SDPParseError(.lineTooLong, line: offset + 1, reason: "line longer than \(limits.maxLineBytes) bytes")
        }
        return lines
    }

    // RFC 8866 section 5: "<type>=<value>", type a single case-significant character.
    private func parseLine(_ line: Substring, isFirst: Bool, into builder: inout Builder) throws(SDPParseError) {
        let bytes = line.utf8
        guard bytes.count >= 2, let type = bytes.first, type >= 0x61, type <= 0x7A,
            bytes[bytes.index(after: bytes.startIndex)] == 0x3D
        else {
            if isFirst { throw SDPParseError(.missingVersion, reason: "the first line is not v=") }
            throw SDPParseError(.malformedLine, reason: "a line is not <lowercase letter>=<value>")
        }
        guard !bytes.contains(0), !bytes.contains(0x0D) else {
            throw SDPParseError(.malformedLine, reason: "a line contains NUL or CR")
        }
        let letter = Character(Unicode.Scalar(type))
        let value = line[bytes.index(bytes.startIndex, offsetBy: 2)...]

        // RFC 8866 section 5.1: v= comes first.
        if isFirst {
            guard letter == "v" else { throw SDPParseError(.missingVersion, reason: "the first line is not v=") }
            guard value == "0" else { throw SDPParseError(.unsupportedVersion, reason: "only v=0 is supported") }
            return
        }
        if builder.media.isEmpty {
            try builder.addSessionLine(letter, value)
        } else {
            try builder.addMediaLine(letter, value)
        }
        if letter == "m", builder.media.count > limits.maxMediaSections {
            throw SDPParseError(
                .tooManyMediaSections, reason: "more than \(limits.maxMediaSections) media sections")
        }
        if letter == "a", validatesKnownAttributes {
            let attribute = builder.media.isEmpty ? builder.attributes.last : builder.media.last?.attributes.last
            try attribute?.validate()
        }
    }

    /// Collects the lines of one description.
    private struct Builder {
        var origin: SDPOrigin?
        var sessionName: String?
        var information: String?
        var uri: String?
        var emails: [String] = []
        var phones: [String] = []
        var connection: SDPConnection?
        var bandwidths: [SDPBandwidth] = []
        var timings: [SDPTiming] = []
        var timeZones: String?
        var encryptionKey: String?
        var attributes: [SDPAttribute] = []
        var media: [MediaDescription] = []

        mutating func addSessionLine(_ letter: Character, _ value: Substring) throws(SDPParseError) {
            switch letter {
            case "v": throw misplaced(letter, "v= appears twice")
            case "o": origin = try single(origin, letter, SDPOrigin(parsing: value))
            case "s": sessionName = try single(sessionName, letter, String(value))
            case "i": information = try single(information, letter, String(value))
            case "u": uri = try single(uri, letter, String(value))
            case "e": emails.append(String(value))
            case "p": phones.append(String(value))
            case "c": connection = try single(connection, letter, SDPConnection(parsing: value))
            case "b": bandwidths.append(try SDPBandwidth(parsing: value))
            case "t": timings.append(try SDPTiming(parsing: value))
            case "r":
                // RFC 8866 section 5.10: repeat times belong to the t= line above them.
                guard !timings.isEmpty else { throw misplaced(letter, "r= without a t= before it") }
                timings[timings.count - 1].repeatTimes.append(String(value))
            case "z": timeZones = try single(timeZones, letter, String(value))
            case "k": encryptionKey = try single(encryptionKey, letter, String(value))
            case "a": attributes.append(try SDPAttribute(parsing: value))
            case "m": media.append(try MediaDescription(parsingMediaLine: value))
            default: break  // Unknown type letter: ignored (see SDPParser).
            }
        }

        // RFC 8866 section 5: the lines a media description may hold.
        mutating func addMediaLine(_ letter: Character, _ value: Substring) throws(SDPParseError) {
            let index = media.count - 1
            switch letter {
            case "m": media.append(try MediaDescription(parsingMediaLine: value))
            case "i": media[index].information = try single(media[index].information, letter, String(value))
            case "c": media[index].connections.append(try SDPConnection(parsing: value))
            case "b": media[index].bandwidths.append(try SDPBandwidth(parsing: value))
            case "k": media[index].encryptionKey = try single(media[index].encryptionKey, letter, String(value))
            case "a": media[index].attributes.append(try SDPAttribute(parsing: value))
            case "v", "o", "s", "u", "e", "p", "t", "r", "z":
                throw misplaced(letter, "\(letter)= is a session-level line but appears in a media section")
            default: break
            }
        }

        private func single<T>(_ existing: T?, _ letter: Character, _ value: T) throws(SDPParseError) -> T {
            guard existing == nil else { throw misplaced(letter, "\(letter)= appears twice") }
            return value
        }

        private func misplaced(_ letter: Character, _ reason: String) -> SDPParseError {
            SDPParseError(.misplacedLine(type: letter), reason: reason)
        }

        func finish(requiresTiming: Bool) throws(SDPParseError) -> SessionDescription {
            // RFC 8866 section 5: o= and s= are mandatory; t= is too (section 5.9) but see SDPParser.
            guard let origin else { throw SDPParseError(.missingOrigin, reason: "no o= line") }
            guard let sessionName else { throw SDPParseError(.missingSessionName, reason: "no s= line") }
            if requiresTiming, timings.isEmpty { throw SDPParseError(.missingTiming, reason: "no t= line") }
            return SessionDescription(
                version: 0, origin: origin, sessionName: sessionName, information: information, uri: uri,
                emails: emails, phones: phones, connection: connection, bandwidths: bandwidths, timings: timings,
                timeZones: timeZones, encryptionKey: encryptionKey, attributes: attributes, media: media)
        }
    }
}
