import DTLS
import Testing

@Suite("DTLS record packing")
struct DTLSRecordPackerTests {
    /// A DTLS 1.2 handshake record (RFC 6347 section 4.1) with `length` body bytes, each `fill`.
    static func record(length: Int, fill: UInt8 = 0xAA) -> [UInt8] {
        [22, 0xFE, 0xFD, 0, 0, 0, 0, 0, 0, 0, 1, UInt8(length >> 8), UInt8(length & 0xFF)]
            + Array(repeating: fill, count: length)
    }

    static func pack(_ records: [[UInt8]], maximum: Int = 1200) -> [[UInt8]] {
        records.flatMap { $0 }.withUnsafeBytes { DTLSRecordPacker.datagrams(from: $0, maximumDatagramSize: maximum) }
    }

    @Test func smallRecordsShareADatagram() {
        let records = [Self.record(length: 100), Self.record(length: 1), Self.record(length: 48)]
        let datagrams = Self.pack(records)
        #expect(datagrams == [records.flatMap { $0 }])
    }

    @Test func recordsNeverSpanDatagramsAndStayUnderTheMTU() {
        let records = (0..<5).map { Self.record(length: 500, fill: UInt8($0)) }
        let datagrams = Self.pack(records)
        // 513 bytes each: two fit in 1200, the fifth goes alone.
        #expect(datagrams.map(\.count) == [1026, 1026, 513])
        #expect(datagrams.flatMap { $0 } == records.flatMap { $0 })
        #expect(datagrams.allSatisfy { $0.count <= 1200 })
    }

    @Test func oversizedRecordGoesAlone() {
        let records = [Self.record(length: 10), Self.record(length: 1300), Self.record(length: 10)]
        #expect(Self.pack(records) == records)
    }

    @Test func exactFit() {
        let records = [Self.record(length: 587), Self.record(length: 587)]  // 600 + 600
        #expect(Self.pack(records).count == 1)
    }

    @Test func truncatedTailGoesAloneAndNothingIsLost() {
        let whole = Self.record(length: 20)
        let truncated = Array(Self.record(length: 40).prefix(25))
        #expect(Self.pack([whole, truncated]) == [whole, truncated])
        #expect(Self.pack([[22, 0xFE]]) == [[22, 0xFE]])
    }

    @Test func emptyInput() {
        #expect(Self.pack([]).isEmpty)
    }
}
