import SDP
import Testing

@Suite("SDP parser rules and errors")
struct SDPParserTests {
    static let head = "v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nt=0 0\r\n"
    static let media = "m=audio 5004 RTP/AVP 0\r\n"

    static func parseError(_ text: String, parser: SDPParser = SDPParser()) -> SDPParseError? {
        #expect(throws: SDPParseError.self) { try parser.parse(text) }
    }

    @Test func lineEndsAreLiberal() throws {
        let strict = try SessionDescription.parse(Self.head + Self.media)
        // LF only with no final line end; then CRLF and LF mixed.
        let lineFeeds = "v=0\no=- 1 1 IN IP4 192.0.2.1\ns=-\nt=0 0\nm=audio 5004 RTP/AVP 0"
        #expect(try SessionDescription.parse(lineFeeds) == strict)
        let mixed = "v=0\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\nt=0 0\r\nm=audio 5004 RTP/AVP 0\n"
        #expect(try SessionDescription.parse(mixed) == strict)
        #expect(try SessionDescription.parse(Self.head + Self.media + "\r\n") == strict)
        #expect(try SessionDescription.parse(Self.head + Self.media + "\n\n\r\n") == strict)
    }

    @Test func unknownLineTypesAreIgnored() throws {
        let text = Self.head + "x=session extension\r\n" + Self.media + "y=media\r\n"
        let description = try SessionDescription.parse(text)
        #expect(description == (try SessionDescription.parse(Self.head + Self.media)))
    }

    @Test(arguments: [
        ("", SDPParseError.Kind.missingVersion, nil as Int?),
        ("\r\n\r\n", .missingVersion, nil),
        ("o=- 1 1 IN IP4 192.0.2.1\r\nv=0\r\ns=-\r\nt=0 0\r\n", .missingVersion, 1),
        ("V=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nt=0 0\r\n", .missingVersion, 1),
        ("v=1\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nt=0 0\r\n", .unsupportedVersion, 1),
        ("v=0\r\ns=-\r\nt=0 0\r\n", .missingOrigin, nil),
        ("v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\nt=0 0\r\n", .missingSessionName, nil),
        (head + "hello\r\n", .malformedLine, 5),
        (head + "ab=c\r\n", .malformedLine, 5),
        (head + "A=foo\r\n", .malformedLine, 5),
        (head + " a=foo\r\n", .malformedLine, 5),
        (head + "a =foo\r\n", .malformedLine, 5),
        ("v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\n\r\ns=-\r\nt=0 0\r\n", .malformedLine, 3),
        (head + "a=x\u{0}y\r\n", .malformedLine, 5),
        (head + "a=x\ry\r\n", .malformedLine, 5),
        (head + "a=\r\n", .malformedAttribute(name: ""), 5),
        ("v=0\r\no=- 1 IN IP4 192.0.2.1\r\ns=-\r\n", .malformedOrigin, 2),
        (head + "c=IN IP4\r\n", .malformedConnection, 5),
        (head + "b=AS:fast\r\n", .malformedBandwidth, 5),
        (head + "b=AS:+64\r\n", .malformedBandwidth, 5),
        ("v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nt=0\r\n", .malformedTiming, 4),
        (head + "m=audio\r\n", .malformedMedia, 5),
        (head + "m=audio 70000 RTP/AVP 0\r\n", .malformedMedia, 5),
        (head + "m=audio 5004/0 RTP/AVP 0\r\n", .malformedMedia, 5),
        ("v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nr=604800 3600 0\r\n", .misplacedLine(type: "r"), 4),
        (head + "o=- 2 2 IN IP4 192.0.2.1\r\n", .misplacedLine(type: "o"), 5),
        (head + "v=0\r\n", .misplacedLine(type: "v"), 5),
        (head + "c=IN IP4 192.0.2.1\r\nc=IN IP4 192.0.2.2\r\n", .misplacedLine(type: "c"), 6),
        (head + media + "t=0 0\r\n", .misplacedLine(type: "t"), 6),
        (head + media + "s=late\r\n", .misplacedLine(type: "s"), 6),
        (head + media + "i=one\r\ni=two\r\n", .misplacedLine(type: "i"), 7),
    ])
    func structuralErrors(text: String, kind: SDPParseError.Kind, line: Int?) {
        let error = Self.parseError(text)
        #expect(error?.kind == kind)
        #expect(error?.line == line)
        #expect(error?.statusCode == (kind == .unsupportedVersion ? 488 : 400))
    }

    @Test(arguments: [
        // Bad fingerprints: not hex, an odd digit, an empty pair, the wrong length for sha-256, no bytes.
        ("fingerprint:sha-1 ZZ:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B:19:E5:7C:AB", "fingerprint"),
        ("fingerprint:sha-1 4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B:19:E5:7C:A", "fingerprint"),
        ("fingerprint:sha-256 D0::4B", "fingerprint"),
        ("fingerprint:sha-256 D0:C6:4B", "fingerprint"),
        ("fingerprint:sha-256", "fingerprint"),
        ("fingerprint:sha-1 +0:C6:4B:3E:2F:86:69:08:82:8C:17:7D:BB:49:99:BC:24:92:01:90", "fingerprint"),
        // Bad rtpmaps: payload type out of range or not a number, no clock rate, bad clock rate or channels.
        ("rtpmap:128 opus/48000/2", "rtpmap"),
        ("rtpmap:x PCMU/8000", "rtpmap"),
        ("rtpmap:0 PCMU", "rtpmap"),
        ("rtpmap:0 PCMU/fast", "rtpmap"),
        ("rtpmap:0 PCMU/0", "rtpmap"),
        ("rtpmap:111 opus/48000/0", "rtpmap"),
        ("rtpmap:111 opus/48000/2/9", "rtpmap"),
        ("rtpmap:0", "rtpmap"),
        ("rtpmap", "rtpmap"),
        // Bad candidates: no typ, priority over 32 bits, bad port, dangling extension, long foundation.
        ("candidate:1 1 udp 2130706431 192.0.2.1 5000 host", "candidate"),
        ("candidate:1 1 udp 4294967296 192.0.2.1 5000 typ host", "candidate"),
        ("candidate:1 1 udp 2130706431 192.0.2.1 65536 typ host", "candidate"),
        ("candidate:1 1 udp 2130706431 192.0.2.1 5000 typ host generation", "candidate"),
        ("candidate:123456789012345678901234567890123 1 udp 1 192.0.2.1 5000 typ host", "candidate"),
        ("candidate:1 0 udp 2130706431 192.0.2.1 5000 typ host", "candidate"),
        ("candidate:1 1 udp 2130706431 192.0.2.1 5000 typ srflx raddr 192.0.2.2 rport x", "candidate"),
        // Other checked attributes.
        ("setup:sideways", "setup"),
        ("fmtp:", "fmtp"),
        ("ssrc:cname:x", "ssrc"),
        ("ssrc:4294967296 cname:x", "ssrc"),
        ("extmap:0 urn:ietf:params:rtp-hdrext:sdes:mid", "extmap"),
        ("extmap:1/sideways urn:ietf:params:rtp-hdrext:sdes:mid", "extmap"),
        ("rtcp:9 IN IP4", "rtcp"),
        ("group:BUNDLE 0 bad\u{7F}", "group"),
        ("mid:a b", "mid"),
        ("ice-ufrag:bad=ufrag", "ice-ufrag"),
        ("ice-pwd", "ice-pwd"),
        ("msid:a b c", "msid"),
    ])
    func malformedKnownAttributesAreRejected(attribute: String, name: String) {
        let error = Self.parseError(Self.head + Self.media + "a=\(attribute)\r\n")
        #expect(error?.kind == .malformedAttribute(name: name))
        #expect(error?.line == 6)
        #expect(error?.statusCode == 400)
        #expect(error?.description.hasPrefix("invalid SDP at line 6: malformed a=\(name)") == true)
    }

    @Test func unvalidatedAttributesAreSkippedByTypedViews() throws {
        let text = Self.head + Self.media + "a=rtpmap:0 PCMU\r\na=rtpmap:8 PCMA/8000\r\n"
        let description = try SDPParser(validatesKnownAttributes: false).parse(text)
        #expect(description.media[0].rtpMaps.map(\.payloadType) == [8])
        #expect(description.serialized() == text)
    }

    @Test func timingCanBeRequired() {
        let text = "v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\n"
        #expect(throws: Never.self) { try SessionDescription.parse(text) }
        #expect(Self.parseError(text, parser: SDPParser(requiresTiming: true))?.kind == .missingTiming)
    }

    @Test func limitsAreEnforced() {
        let limits = SDPLimits(maxBodyBytes: 200, maxLines: 8, maxLineBytes: 40, maxMediaSections: 2)
        let parser = SDPParser(limits: limits)
        let tooLarge = Self.head + String(repeating: "a=x-pad:0123456789\r\n", count: 10)
        #expect(Self.parseError(tooLarge, parser: parser)?.kind == .bodyTooLarge)
        #expect(Self.parseError(tooLarge, parser: parser)?.statusCode == 413)
        #expect(throws: SDPParseError(.bodyTooLarge, reason: "body larger than 200 bytes")) {
            try parser.parse(bytes: Array(tooLarge.utf8))
        }
        let manyLines = Self.head + String(repeating: "a=x\r\n", count: 5)
        let lines = Self.parseError(manyLines, parser: parser)
        #expect(lines?.kind == .tooManyLines)
        #expect(lines?.line == 9)
        // Empty lines past the limit are trailing ones and dropped; content after them is still counted.
        #expect(throws: Never.self) { try parser.parse(Self.head + String(repeating: "\r\n", count: 20)) }
        let hidden = Self.parseError(Self.head + String(repeating: "\r\n", count: 10) + "a=x\r\n", parser: parser)
        #expect(hidden?.kind == .tooManyLines)
        #expect(hidden?.line == 15)
        let longLine = Self.head + "a=x-long:" + String(repeating: "y", count: 40) + "\r\n"
        let long = Self.parseError(longLine, parser: parser)
        #expect(long?.kind == .lineTooLong)
        #expect(long?.line == 5)
        let threeMedia = Self.head + Self.media + Self.media + Self.media
        let media = Self.parseError(threeMedia, parser: parser)
        #expect(media?.kind == .tooManyMediaSections)
        #expect(media?.line == 7)
        #expect(media?.statusCode == 488)
        #expect(throws: Never.self) { try parser.parse(Self.head + Self.media + Self.media) }
    }

    @Test func defaultLimitsAreSafe() {
        #expect(
            SDPLimits.default
                == SDPLimits(maxBodyBytes: 65_536, maxLines: 1_024, maxLineBytes: 4_096, maxMediaSections: 16))
        let seventeen = Self.head + String(repeating: Self.media, count: 17)
        #expect(Self.parseError(seventeen)?.kind == .tooManyMediaSections)
        let huge = Self.head + String(repeating: "a=x\r\n", count: 20_000)
        #expect(Self.parseError(huge)?.kind == .bodyTooLarge)
    }

    @Test func errorsDoNotQuoteValues() {
        let error = Self.parseError(Self.head + Self.media + "a=ice-pwd:secret=password\r\n")
        #expect(error?.kind == .malformedAttribute(name: "ice-pwd"))
        #expect(error?.description.contains("secret") == false)
    }
}
