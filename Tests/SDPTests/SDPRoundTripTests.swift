import SDP
import Testing

@Suite("SDP round trip")
struct SDPRoundTripTests {
    static let fixtureNames = SDPFixtures.roundTripCases.map(\.name)

    static func fixture(_ name: String) -> String {
        SDPFixtures.roundTripCases.first { $0.name == name }!.text
    }

    @Test(arguments: fixtureNames)
    func parseThenSerializeIsByteExact(_ name: String) throws {
        let text = Self.fixture(name)
        let description = try SessionDescription.parse(text)
        #expect(description.serialized() == text)
        #expect(description.serializedBytes() == Array(text.utf8))
    }

    @Test(arguments: fixtureNames)
    func bytesAndTextParseAlike(_ name: String) throws {
        let text = Self.fixture(name)
        #expect(try SessionDescription.parse(bytes: Array(text.utf8)) == SessionDescription.parse(text))
    }

    @Test(arguments: fixtureNames)
    func lineFeedOnlyInputParsesToTheSameModel(_ name: String) throws {
        let text = Self.fixture(name)
        let lineFeeds = String(text.unicodeScalars.filter { $0 != "\r" }.map(Character.init))
        let description = try SessionDescription.parse(lineFeeds)
        #expect(description == (try SessionDescription.parse(text)))
        #expect(description.serialized() == text)
    }

    @Test(arguments: [
        // A value starting with a space (Chrome's msid-semantic), an empty value, colons inside a value.
        "a=msid-semantic: WMS\r\n", "a=x-empty:\r\n", "a=ssrc:1 cname:sip:alice@example.org\r\n",
        // Runs of spaces inside an opaque value, trailing space, a property attribute that looks like a value.
        "a=x-note:two  spaces  inside \r\n", "a=X-nat:0\r\n", "a=sendrecv\r\n", "a=rtcp-fb:* ccm tmmbr\r\n",
        // Non-ASCII text and an fmtp with several '='.
        "a=x-label:Réunion ☎\r\n",
        "a=fmtp:96 profile-level-id=42e01f;level-asymmetry-allowed=1;packetization-mode=1\r\n",
    ])
    func oddAttributesRoundTrip(_ attributeLine: String) throws {
        let text = "v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nt=0 0\r\nm=audio 5004 RTP/AVP 0\r\n" + attributeLine
        let description = try SessionDescription.parse(text)
        #expect(description.serialized() == text)
    }

    @Test(arguments: ["s= ", "s=-", "s=", "s=Réunion d'équipe ☎"])
    func sessionNamesRoundTrip(_ sessionName: String) throws {
        let text = "v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\n\(sessionName)\r\nt=0 0\r\n"
        let description = try SessionDescription.parse(text)
        #expect("s=" + description.sessionName == sessionName)
        #expect(description.serialized() == text)
    }

    @Test func everyFieldIsModelled() throws {
        let description = try SessionDescription.parse(SDPFixtures.everyField)
        #expect(description.origin.username == "jdoe")
        #expect(description.origin.sessionVersion == "3724394405")
        #expect(description.information == "SDP Offer #1")
        #expect(description.uri == "http://www.jdoe.example.com/home.html")
        #expect(description.emails == ["Jane Doe <jane@jdoe.example.com>", "ops@example.com (Operations)"])
        #expect(description.phones == ["+1 617 555-6011"])
        #expect(description.connection?.address == "233.252.0.1/127/3")
        #expect(description.connection?.host == "233.252.0.1")
        #expect(description.bandwidths == [SDPBandwidth(type: "CT", value: 128)])
        #expect(description.timings.count == 2)
        #expect(description.timings[0].start == 3_034_423_619)
        #expect(description.timings[0].repeatTimes == ["604800 3600 0 90000", "7d 1h 0 25h"])
        #expect(description.timings[1] == SDPTiming())
        #expect(description.timeZones == "2882844526 -1h 2898848070 0")
        #expect(description.encryptionKey == "prompt")
        #expect(description.explicitDirection == .recvonly)
        let audio = description.media[0]
        #expect(audio.portCount == 2)
        #expect(audio.information == "main audio")
        #expect(audio.connections.map(\.address) == ["233.252.0.1/127", "233.252.0.2/127"])
        #expect(audio.bandwidths.map(\.value) == [64, 64_000])
        #expect(audio.encryptionKey == "clear:opaque-key-text")
        #expect(audio.ptime == 20)
        #expect(description.direction(of: audio) == .recvonly)
        #expect(description.media[1].port == 0)
        #expect(description.media[1].formats == ["31"])
    }
}
