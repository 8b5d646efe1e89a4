import AudioCodecs
import Testing

@Suite("Audio codec kinds")
struct AudioCodecKindTests {
    @Test func rtpParameters() {
        // RFC 3551 table 4 for G.711; RFC 7587 sections 4.1 and 7 for Opus (48 kHz clock, "opus/48000/2").
        #expect(AudioCodecKind.pcmu.clockRate == 8000)
        #expect(AudioCodecKind.pcma.clockRate == 8000)
        #expect(AudioCodecKind.opus.clockRate == 48000)
        #expect(AudioCodecKind.pcmu.staticPayloadType == 0)
        #expect(AudioCodecKind.pcma.staticPayloadType == 8)
        #expect(AudioCodecKind.opus.staticPayloadType == nil)
        #expect(AudioCodecKind.allCases.map(\.encodingName) == ["PCMU", "PCMA", "opus"])
        #expect(AudioCodecKind.allCases.map(\.rtpMapChannels) == [nil, nil, 2])
    }
}
