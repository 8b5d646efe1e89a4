import DTLS
import Testing

@Suite("DTLS record packing")
struct DTLSRecordPackerTests {
    /// A handshake record (RFC 6347 section 4.1) with `length` body bytes, each `fill`; DTLS 1.2 ({254, 253})
    /// unless `minorVersion` says otherwise.
    static func record(length: Int, fill: UInt8 = 0xAA, minorVersion: UInt8 = 0xFD) -> [UInt8] {
        [22, 0xFE, minorVersion, 0, 0, 0, 0, 0, 0, 0, 1, UInt8(length >> 8), UInt8(length & 0xFF)]
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

    /// A resent ClientHello (record version DTLS 1.0, {254, 255}) written just before the next flight: an
    /// OpenSSL peer would lose every record after it in a shared datagram, so it goes alone.
    @Test func recordsOfAnotherVersionDoNotShareADatagram() {
        let clientHello = Self.record(length: 201, minorVersion: 0xFF)
        let flight = [Self.record(length: 299), Self.record(length: 45), Self.record(length: 87)]
        #expect(Self.pack([clientHello] + flight) == [clientHello, flight.flatMap { $0 }])
        #expect(Self.pack(flight + [clientHello]) == [flight.flatMap { $0 }, clientHello])
        #expect(Self.pack([clientHello, clientHello]) == [clientHello + clientHello])
    }

    @Test func emptyInput() {
        #expect(Self.pack([]).isEmpty)
    }
}
