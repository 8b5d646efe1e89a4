import RTP
import Testing

@Suite("RTP packet view and header writer (RFC 3550 section 5)")
struct RTPPacketViewTests {
    /// Every optional part at once: two CSRCs, an RFC 8285 one-byte extension, three payload bytes and
    /// three octets of padding.
    static let fullPacket: [UInt8] = [
        0xB2, 0xEF, 0x12, 0x34,  // V=2 P=1 X=1 CC=2 | M=1 PT=111 | sequence 0x1234
        0xDE, 0xAD, 0xBE, 0xEF,  // timestamp
        0x11, 0x22, 0x33, 0x44,  // SSRC
        0xAA, 0xBB, 0xCC, 0xDD,  // CSRC 1
        0x01, 0x02, 0x03, 0x04,  // CSRC 2
        0xBE, 0xDE, 0x00, 0x01,  // extension: profile 0xBEDE, 1 word of data
        0x10, 0xFF, 0x00, 0x00,  // element id 1, 1 byte (0xFF), then extension padding
        0x01, 0x02, 0x03,  // payload
        0x00, 0x00, 0x03,  // padding; the last octet counts 3
    ]

    /// A 12-byte fixed header with the given first octet (PT 0, sequence 1, timestamp 0, SSRC 1), then `tail`.
    static func header(_ first: UInt8, _ tail: [UInt8] = []) -> [UInt8] {
        RTPTestBytes.join([first, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01], tail)
    }

    @Test func parsesEveryHeaderPart() throws {
        let bytes = Self.fullPacket
        let view = try #require(RTPTestBytes.rtp(bytes))
        #expect(view.version == 2)
        #expect(view.padding)
        #expect(view.hasExtension)
        #expect(view.csrcCount == 2)
        #expect(view.marker)
        #expect(view.payloadType == 111)
        #expect(view.sequenceNumber == 0x1234)
        #expect(view.timestamp == 0xDEAD_BEEF)
        #expect(view.ssrc == 0x1122_3344)
        #expect(view.headerLength == 28)
        #expect(view.extensionProfile == 0xBEDE)
        #expect(view.extensionRange == 24..<28)
        #expect(view.paddingLength == 3)
        #expect(view.packetLength == 34)
        #expect(view.payloadRange == 28..<31)
        #expect(Array(bytes[view.payloadRange]) == [0x01, 0x02, 0x03])
        if let extensionRange = view.extensionRange {
            #expect(Array(bytes[extensionRange]) == [0x10, 0xFF, 0x00, 0x00])
        }

        let csrcs = bytes.withUnsafeBytes { raw in (0..<3).map { view.csrc(at: $0, in: raw) } }
        #expect(csrcs == [0xAABB_CCDD, 0x0102_0304, nil])
    }

    @Test func minimalPacketHasAnEmptyPayload() throws {
        let view = try #require(RTPTestBytes.rtp(Self.header(0x80)))
        #expect(!view.padding && !view.hasExtension && !view.marker)
        #expect(view.csrcCount == 0)
        #expect(view.headerLength == 12)
        #expect(view.payloadRange == 12..<12)
        #expect(view.extensionProfile == nil)
        #expect(view.extensionRange == nil)
    }

    @Test func paddingMayFillEverythingAfterTheHeader() throws {
        // Section 5.1: the pad count includes itself; 4 octets of padding and no payload is well formed.
        let view = try #require(RTPTestBytes.rtp(Self.header(0xA0, [0x00, 0x00, 0x00, 0x04])))
        #expect(view.paddingLength == 4)
        #expect(view.payloadRange == 12..<12)
    }

    @Test func emptyExtensionIsAccepted() throws {
        // Section 5.3.1: a length of zero words is valid (the 4-octet extension header alone).
        let view = try #require(RTPTestBytes.rtp(Self.header(0x90, [0x10, 0x00, 0x00, 0x00, 0xAB])))
        #expect(view.extensionProfile == 0x1000)
        #expect(view.extensionRange == 16..<16)
        #expect(view.payloadRange == 16..<17)
    }

    @Test func malformedPacketsAreRejected() {
        let cases: [(String, [UInt8])] = [
            ("empty", []),
            ("shorter than the fixed header", Array(Self.header(0x80).prefix(11))),
            ("version 1", Self.header(0x40)),
            ("version 0", Self.header(0x00)),
            ("version 3", Self.header(0xC0)),
            ("CSRC list past the end", Self.header(0x8F, [0, 0, 0, 0, 0, 0, 0, 0])),
            ("X set without room for the extension header", Self.header(0x90, [0xBE, 0xDE])),
            ("extension length past the end", Self.header(0x90, [0xBE, 0xDE, 0x00, 0x05, 0x10, 0xFF, 0x00, 0x00])),
            ("padding larger than the packet", Self.header(0xA0, [0x01, 0x02, 0x03, 200])),
            ("pad count of zero", Self.header(0xA0, [0x01, 0x02, 0x03, 0x00])),
            ("padding reaching into the header", Self.header(0xA0, [0x02])),
            (
                "padding reaching into the extension",
                Self.header(0xB0, [0xBE, 0xDE, 0x00, 0x01, 0x10, 0xFF, 0x00, 0x00, 0x00, 0x03])
            ),
        ]
        for (name, bytes) in cases {
            #expect(RTPTestBytes.rtp(bytes) == nil, "\(name) was accepted")
        }
    }

    @Test func writerRoundTrip() throws {
        var packet = RTPTestBytes.written(capacity: 64) {
            RTPHeaderWriter.write(
                into: $0, payloadType: 0, marker: true, sequenceNumber: 65535, timestamp: 0xFFFF_FF00,
                ssrc: 0xCAFE_BABE)
        }
        #expect(packet == [0x80, 0x80, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0xCA, 0xFE, 0xBA, 0xBE])
        packet += [UInt8](repeating: 0xD5, count: 160)  // 20 ms of PCMA silence

        let view = try #require(RTPTestBytes.rtp(packet))
        #expect(view.version == 2)
        #expect(!view.padding && !view.hasExtension)
        #expect(view.csrcCount == 0)
        #expect(view.marker)
        #expect(view.payloadType == 0)
        #expect(view.sequenceNumber == 65535)
        #expect(view.timestamp == 0xFFFF_FF00)
        #expect(view.ssrc == 0xCAFE_BABE)
        #expect(view.payloadRange == 12..<172)
    }

    @Test func writerMasksThePayloadTypeAndClearsTheMarker() throws {
        let packet = RTPTestBytes.written(capacity: 12) {
            RTPHeaderWriter.write(into: $0, payloadType: 0xFF, marker: false, sequenceNumber: 1, timestamp: 2, ssrc: 3)
        }
        let view = try #require(RTPTestBytes.rtp(packet))
        #expect(view.payloadType == 127)
        #expect(!view.marker)
    }

    @Test func writerRefusesASmallBuffer() {
        var buffer = [UInt8](repeating: 0xEE, count: 11)
        let count = buffer.withUnsafeMutableBytes {
            RTPHeaderWriter.write(into: $0, payloadType: 0, marker: false, sequenceNumber: 1, timestamp: 2, ssrc: 3)
        }
        #expect(count == 0)
        #expect(buffer == [UInt8](repeating: 0xEE, count: 11))
    }
}
