import RTP
import Testing

@Suite("telephone-event payload (RFC 4733)")
struct TelephoneEventTests {
    static func event(_ bytes: [UInt8]) -> TelephoneEvent? {
        bytes.withUnsafeBytes { TelephoneEvent(payload: $0) }
    }

    @Test func parsesTheSection23Layout() throws {
        // Digit 9, E set, volume 10 (-10 dBm0), duration 1600 (200 ms at 8 kHz).
        let parsed = try #require(Self.event([0x09, 0x8A, 0x06, 0x40]))
        #expect(parsed == TelephoneEvent(event: 9, end: true, volume: 10, duration: 1600))
    }

    @Test func reservedBitIsIgnored() throws {
        // Section 2.3.3: R is sent as zero and ignored on receipt.
        let parsed = try #require(Self.event([0x0B, 0x4A, 0x00, 0xA0]))
        #expect(parsed == TelephoneEvent(event: 11, end: false, volume: 10, duration: 160))
    }

    @Test func shortPayloadIsRejected() {
        #expect(Self.event([]) == nil)
        #expect(Self.event([0x09, 0x8A, 0x06]) == nil)
    }

    @Test func extraBytesAfterTheFirstReportAreLeftAlone() throws {
        let parsed = try #require(Self.event([0x05, 0x0A, 0x01, 0x40, 0x06, 0x0A, 0x00, 0xA0]))
        #expect(parsed == TelephoneEvent(event: 5, end: false, volume: 10, duration: 320))
    }

    @Test func writeRoundTrip() throws {
        let original = TelephoneEvent(event: 10, end: true, volume: 63, duration: 0xFFFF)
        let bytes = RTPTestBytes.written(capacity: 8) { original.write(into: $0) }
        #expect(bytes == [0x0A, 0xBF, 0xFF, 0xFF])
        #expect(Self.event(bytes) == original)

        let loud = TelephoneEvent(event: 1, end: false, volume: 200, duration: 400)
        let clamped = RTPTestBytes.written(capacity: 4) { loud.write(into: $0) }
        #expect(clamped == [0x01, 0x3F, 0x01, 0x90])

        let noRoom = RTPTestBytes.written(capacity: 3) { original.write(into: $0) }
        #expect(noRoom.isEmpty)
    }

    /// The packet sequence of RFC 4733 section 5 (the "911" example, 8 kHz clock, 50 ms packets): digit "9"
    /// sent as four updates (durations 400...1600, marker on the first) and the end report three times, all
    /// with the event's start timestamp 0; then "1" starting at 880 ms, timestamp 7040, with the marker again.
    /// The volume is our choice.
    @Test func section5DigitSequence() throws {
        struct Expected {
            var sequence: UInt16
            var timestamp: UInt32
            var marker: Bool
            var event: TelephoneEvent
        }
        func digit(
            _ sequence: UInt16, _ timestamp: UInt32, marker: Bool, _ code: UInt8, end: Bool, _ duration: UInt16
        ) -> Expected {
            Expected(
                sequence: sequence, timestamp: timestamp, marker: marker,
                event: TelephoneEvent(event: code, end: end, volume: 10, duration: duration))
        }
        let packets: [Expected] = [
            digit(1, 0, marker: true, 9, end: false, 400),
            digit(2, 0, marker: false, 9, end: false, 800),
            digit(3, 0, marker: false, 9, end: false, 1200),
            digit(4, 0, marker: false, 9, end: false, 1600),
            digit(5, 0, marker: false, 9, end: true, 1600),
            digit(6, 0, marker: false, 9, end: true, 1600),
            digit(7, 0, marker: false, 9, end: true, 1600),
            digit(8, 7040, marker: true, 1, end: false, 400),
        ]
        for expected in packets {
            let bytes = RTPTestBytes.written(capacity: 16) { buffer in
                let header = RTPHeaderWriter.write(
                    into: buffer, payloadType: 101, marker: expected.marker, sequenceNumber: expected.sequence,
                    timestamp: expected.timestamp, ssrc: 0x4733)
                return header + expected.event.write(into: UnsafeMutableRawBufferPointer(rebasing: buffer[header...]))
            }
            #expect(bytes.count == 16)
            let view = try #require(RTPTestBytes.rtp(bytes))
            #expect(view.payloadType == 101)
            #expect(view.marker == expected.marker)
            #expect(view.sequenceNumber == expected.sequence)
            #expect(view.timestamp == expected.timestamp)
            let event = bytes.withUnsafeBytes {
                TelephoneEvent(payload: UnsafeRawBufferPointer(rebasing: $0[view.payloadRange]))
            }
            #expect(event == expected.event)
        }
    }
}
