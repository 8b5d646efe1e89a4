import RTP
import Testing

@Suite("Media port demultiplexing (RFC 7983, RFC 5761 section 4)")
struct DatagramClassTests {
    /// A 20-byte datagram (long enough for every kind) starting with `first`, `second`.
    static func datagram(_ first: UInt8, _ second: UInt8, length: Int = 20) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: length)
        if length > 0 { bytes[0] = first }
        if length > 1 { bytes[1] = second }
        return bytes
    }

    @Test func classifiesByTheFirstTwoOctets() {
        let table: [(UInt8, UInt8, DatagramClass)] = [
            (0, 1, .stun),  // Binding request
            (1, 1, .stun),  // Binding success response
            (3, 0, .stun),
            (4, 0, .unknown),
            (16, 0, .unknown),  // ZRTP
            (19, 0, .unknown),
            (20, 0xFE, .dtls),  // ChangeCipherSpec
            (22, 0xFE, .dtls),  // Handshake
            (23, 0xFE, .dtls),  // Application data
            (63, 0, .dtls),
            (64, 0, .unknown),  // TURN channel
            (79, 0, .unknown),
            (127, 0, .unknown),
            (128, 0, .rtp),  // PCMU
            (128, 0xEF, .rtp),  // marker set, PT 111 (Opus)
            (128, 191, .rtp),  // marker set, PT 63
            (128, 192, .rtcp),  // lowest RTCP type under rtcp-mux
            (128, 200, .rtcp),  // SR
            (0x81, 201, .rtcp),  // RR
            (0x81, 202, .rtcp),  // SDES
            (128, 223, .rtcp),
            (128, 224, .rtp),  // marker set, PT 96
            (191, 0, .rtp),
            (191, 200, .rtcp),
            (192, 0, .unknown),
            (255, 0, .unknown),
        ]
        for (first, second, expected) in table {
            let result = RTPTestBytes.classify(Self.datagram(first, second))
            #expect(result == expected, "first octet \(first), second octet \(second)")
        }
    }

    @Test func tooShortIsUnknown() {
        let cases: [([UInt8], DatagramClass)] = [
            ([], .unknown),
            (Self.datagram(0, 1, length: 1), .unknown),
            (Self.datagram(0, 1, length: 19), .unknown),  // STUN header is 20
            (Self.datagram(22, 0xFE, length: 12), .unknown),  // DTLS record header is 13
            (Self.datagram(22, 0xFE, length: 13), .dtls),
            (Self.datagram(128, 0, length: 11), .unknown),  // RTP header is 12
            (Self.datagram(128, 0, length: 12), .rtp),
            (Self.datagram(128, 201, length: 7), .unknown),  // RTCP header and SSRC are 8
            (Self.datagram(128, 201, length: 8), .rtcp),
        ]
        for (bytes, expected) in cases {
            let result = RTPTestBytes.classify(bytes)
            #expect(result == expected, "\(bytes.count) bytes")
        }
    }
}
