import NIOCore
import SIPCore
import Testing

/// Inputs found by `scripts/fuzz` (Fuzz/Sources/SIPParserFuzzer), kept as regression tests. The fuzzer's
/// invariant: an accepted message serializes to bytes that decode again and serialize identically.
@Suite("Fuzzer findings")
struct FuzzFindingsTests {
    static func assertStableRoundTrip(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) {
        guard case .message(let message) = SIPDatagramDecoder().decode(ByteBuffer(string: text)) else {
            Issue.record("not accepted", sourceLocation: sourceLocation)
            return
        }
        let serialized = message.serialized
        guard case .message(let again) = SIPDatagramDecoder().decode(serialized) else {
            Issue.record("serialized form rejected", sourceLocation: sourceLocation)
            return
        }
        #expect(again.serialized == serialized, sourceLocation: sourceLocation)
    }

    /// Found on RFC 4475 esc01.dat: a folded value whose first line is empty kept the fold's leading
    /// spaces, so the first serialization differed from the second.
    @Test func foldedValueStartingOnTheNextLine() {
        Self.assertStableRoundTrip(
            "OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nContact:\r\n  <sip:c@d>\r\n"
                + "X-Empty:\r\n \r\nContent-Length: 0\r\n\r\n")
    }
}
