import RTP
import Testing

@Suite("RTCP reports, SDES and compound parsing (RFC 3550 section 6)")
struct RTCPTests {
    static let blockA = RTCPReportBlock(
        ssrc: 0x0102_0304, fractionLost: 25, cumulativeLost: 1234, extendedHighestSequence: 0x0001_0010,
        jitter: 42, lastSR: 0x1234_5678, delaySinceLastSR: 0x0000_8000)
    static let blockB = RTCPReportBlock(
        ssrc: 0xFFFF_FFFF, fractionLost: 0, cumulativeLost: -5, extendedHighestSequence: 7, jitter: 0, lastSR: 0,
        delaySinceLastSR: 0)
    static let senderReport = RTCPSenderReport(
        ssrc: 0xCAFE_BABE, ntpTimestamp: 0xE8F1_2345_8000_0000, rtpTimestamp: 160_000, packetCount: 1000,
        octetCount: 160_000, reports: [blockA, blockB])
    static let ssrc: [UInt8] = [0x11, 0x22, 0x33, 0x44]
    /// An RR with no report blocks.
    static let emptyReceiverReport: [UInt8] = [0x80, 0xC9, 0x00, 0x01] + ssrc

    @Test func senderReportRoundTrip() throws {
        let bytes = RTPTestBytes.written(capacity: 200) { RTCPWriter.writeSenderReport(Self.senderReport, into: $0) }
        #expect(bytes.count == 28 + 2 * 24)
        #expect(bytes[0] == 0x82)  // V=2, P=0, RC=2
        #expect(bytes[1] == 200)
        #expect(RTPTestBytes.uint16(bytes, at: 2) == 18)  // 76 octets = 19 words, minus one
        #expect(Array(bytes[4..<8]) == [0xCA, 0xFE, 0xBA, 0xBE])
        #expect(Array(bytes[8..<16]) == [0xE8, 0xF1, 0x23, 0x45, 0x80, 0x00, 0x00, 0x00])
        // Block B's loss word: fraction 0, cumulative -5 as 24-bit two's complement.
        #expect(Array(bytes[56..<60]) == [0x00, 0xFF, 0xFF, 0xFB])

        let packets = try #require(RTPTestBytes.rtcp(bytes))
        #expect(packets == [RTCPPacket.senderReport(Self.senderReport)])
    }

    @Test func receiverReportRoundTrip() throws {
        let report = RTCPReceiverReport(ssrc: 0x1122_3344, reports: [Self.blockA])
        let bytes = RTPTestBytes.written(capacity: 64) { RTCPWriter.writeReceiverReport(report, into: $0) }
        #expect(bytes.count == 32)
        #expect(Array(bytes.prefix(4)) == [0x81, 0xC9, 0x00, 0x07])
        #expect(RTPTestBytes.rtcp(bytes) == [RTCPPacket.receiverReport(report)])

        let empty = RTCPReceiverReport(ssrc: 0x1122_3344)
        let emptyBytes = RTPTestBytes.written(capacity: 64) { RTCPWriter.writeReceiverReport(empty, into: $0) }
        #expect(emptyBytes == Self.emptyReceiverReport)
        #expect(RTPTestBytes.rtcp(emptyBytes) == [RTCPPacket.receiverReport(empty)])
    }

    @Test func receiverReportFromLiteralBytes() throws {
        let bytes: [UInt8] = [
            0x81, 0xC9, 0x00, 0x07,  // V=2 RC=1 PT=201, 8 words
            0x11, 0x22, 0x33, 0x44,  // reporter
            0x55, 0x66, 0x77, 0x88,  // source
            0x40, 0xFF, 0xFF, 0xFE,  // fraction 64/256, cumulative -2
            0x00, 0x01, 0x00, 0x05,  // one wrap, highest 5
            0x00, 0x00, 0x00, 0x20,  // jitter 32
            0x12, 0x34, 0x56, 0x78,  // LSR
            0x00, 0x01, 0x80, 0x00,  // DLSR 1.5 s
        ]
        let expected = RTCPReceiverReport(
            ssrc: 0x1122_3344,
            reports: [
                RTCPReportBlock(
                    ssrc: 0x5566_7788, fractionLost: 64, cumulativeLost: -2, extendedHighestSequence: 65541, jitter: 32,
                    lastSR: 0x1234_5678, delaySinceLastSR: 0x0001_8000)
            ])
        #expect(RTPTestBytes.rtcp(bytes) == [RTCPPacket.receiverReport(expected)])
        let rewritten = RTPTestBytes.written(capacity: 64) { RTCPWriter.writeReceiverReport(expected, into: $0) }
        #expect(rewritten == bytes)
    }

    @Test func cumulativeLossIsClampedTo24Bits() throws {
        var high = Self.blockA
        high.cumulativeLost = 10_000_000
        var low = Self.blockB
        low.cumulativeLost = -10_000_000
        let report = RTCPReceiverReport(ssrc: 1, reports: [high, low])
        let bytes = RTPTestBytes.written(capacity: 64) { RTCPWriter.writeReceiverReport(report, into: $0) }
        #expect(Array(bytes[12..<16]) == [25, 0x7F, 0xFF, 0xFF])
        #expect(Array(bytes[36..<40]) == [0, 0x80, 0x00, 0x00])
        high.cumulativeLost = 8_388_607
        low.cumulativeLost = -8_388_608
        let clamped = RTCPReceiverReport(ssrc: 1, reports: [high, low])
        #expect(RTPTestBytes.rtcp(bytes) == [RTCPPacket.receiverReport(clamped)])
    }

    @Test func writersRefuseSmallBuffersAndTooManyBlocks() {
        let oneBlock = RTCPSenderReport(
            ssrc: 1, ntpTimestamp: 0, rtpTimestamp: 0, packetCount: 0, octetCount: 0, reports: [Self.blockA])
        let tooSmall = RTPTestBytes.written(capacity: 51) { RTCPWriter.writeSenderReport(oneBlock, into: $0) }
        #expect(tooSmall.isEmpty)
        let exact = RTPTestBytes.written(capacity: 52) { RTCPWriter.writeSenderReport(oneBlock, into: $0) }
        #expect(exact.count == 52)
        let noRoom = RTPTestBytes.written(capacity: 7) {
            RTCPWriter.writeReceiverReport(RTCPReceiverReport(ssrc: 1), into: $0)
        }
        #expect(noRoom.isEmpty)

        let full = RTCPReceiverReport(ssrc: 1, reports: Array(repeating: Self.blockB, count: 31))
        let fullBytes = RTPTestBytes.written(capacity: 1024) { RTCPWriter.writeReceiverReport(full, into: $0) }
        #expect(fullBytes.count == 8 + 31 * 24)
        #expect(fullBytes.first == 0x9F)  // RC=31
        #expect(RTPTestBytes.rtcp(fullBytes) == [RTCPPacket.receiverReport(full)])

        let tooMany = RTCPReceiverReport(ssrc: 1, reports: Array(repeating: Self.blockB, count: 32))
        let tooManyRRBytes = RTPTestBytes.written(capacity: 1024) { RTCPWriter.writeReceiverReport(tooMany, into: $0) }
        #expect(tooManyRRBytes.isEmpty)
        var tooManySR = oneBlock
        tooManySR.reports = tooMany.reports
        let tooManySRBytes = RTPTestBytes.written(capacity: 1024) { RTCPWriter.writeSenderReport(tooManySR, into: $0) }
        #expect(tooManySRBytes.isEmpty)
    }

    @Test func sdesCNameLayout() {
        // Section 6.5: header, SSRC, CNAME=1, length 2, "ab", then nulls to the 32-bit boundary (at least one).
        let ab = RTPTestBytes.written(capacity: 64) {
            RTCPWriter.writeSDESCName(ssrc: 0x1122_3344, cname: "ab", into: $0)
        }
        #expect(ab == [0x81, 0xCA, 0x00, 0x03, 0x11, 0x22, 0x33, 0x44, 0x01, 0x02, 0x61, 0x62, 0x00, 0x00, 0x00, 0x00])

        let user = RTPTestBytes.written(capacity: 64) {
            RTCPWriter.writeSDESCName(ssrc: 7, cname: "user@host", into: $0)
        }
        #expect(user.count == 20)
        #expect(RTPTestBytes.uint16(user, at: 2) == 4)
        #expect(user[9] == 9)
        #expect(String(decoding: user[10..<19], as: UTF8.self) == "user@host")
        #expect(user[19] == 0)

        let noRoom = RTPTestBytes.written(capacity: 15) { RTCPWriter.writeSDESCName(ssrc: 7, cname: "ab", into: $0) }
        #expect(noRoom.isEmpty)
        let long = String(repeating: "x", count: 256)
        let tooLong = RTPTestBytes.written(capacity: 1024) { RTCPWriter.writeSDESCName(ssrc: 7, cname: long, into: $0) }
        #expect(tooLong.isEmpty)
    }

    @Test func byeLayout() {
        let bye = RTPTestBytes.written(capacity: 16) { RTCPWriter.writeBye(ssrc: 0x1122_3344, into: $0) }
        #expect(bye == [0x81, 0xCB, 0x00, 0x01, 0x11, 0x22, 0x33, 0x44])
        let noRoom = RTPTestBytes.written(capacity: 7) { RTCPWriter.writeBye(ssrc: 1, into: $0) }
        #expect(noRoom.isEmpty)
    }

    @Test func compoundSenderReportWithSDESAndBye() throws {
        var buffer = [UInt8](repeating: 0xEE, count: 256)
        let report = RTCPSenderReport(
            ssrc: 0xCAFE_BABE, ntpTimestamp: 0xE8F1_2345_8000_0000, rtpTimestamp: 8000, packetCount: 50,
            octetCount: 8000, reports: [Self.blockA])
        let total = buffer.withUnsafeMutableBytes { raw -> Int in
            var offset = RTCPWriter.writeSenderReport(report, into: raw)
            offset += RTCPWriter.writeSDESCName(
                ssrc: report.ssrc, cname: "user@host", into: UnsafeMutableRawBufferPointer(rebasing: raw[offset...]))
            offset += RTCPWriter.writeBye(
                ssrc: report.ssrc, into: UnsafeMutableRawBufferPointer(rebasing: raw[offset...]))
            return offset
        }
        #expect(total == 52 + 20 + 8)
        let packets = try #require(RTPTestBytes.rtcp(Array(buffer.prefix(total))))
        let expected: [RTCPPacket] = [
            .senderReport(report), .other(packetType: 202, length: 20), .other(packetType: 203, length: 8),
        ]
        #expect(packets == expected)
    }

    @Test func paddingIsAllowedOnTheLastPacket() {
        let paddedBye: [UInt8] = [0xA1, 0xCB, 0x00, 0x02] + Self.ssrc + [0x00, 0x00, 0x00, 0x04]
        let expected: [RTCPPacket] = [
            .receiverReport(RTCPReceiverReport(ssrc: 0x1122_3344)), .other(packetType: 203, length: 12),
        ]
        #expect(RTPTestBytes.rtcp(Self.emptyReceiverReport + paddedBye) == expected)
    }

    @Test func malformedCompoundPacketsAreRejected() {
        let rr = Self.emptyReceiverReport
        let ssrc = Self.ssrc
        let bye = RTPTestBytes.join([0x81, 0xCB, 0x00, 0x01], ssrc)
        let sdesItems: [UInt8] = [0x01, 0x02, 0x61, 0x62, 0x00, 0x00, 0x00, 0x00]
        let paddedByeHeader: [UInt8] = [0xA1, 0xCB, 0x00, 0x02]
        let zeros = [UInt8](repeating: 0, count: 20)
        let cases: [(String, [UInt8])] = [
            ("empty", []),
            ("a bare header", [0x80, 0xC9, 0x00, 0x00]),
            ("length past the datagram", RTPTestBytes.join([0x80, 0xC9, 0x00, 0x07], ssrc)),
            ("lengths not adding up", RTPTestBytes.join(rr, [0x00, 0x00])),
            ("trailing zero word", RTPTestBytes.join(rr, [0x00, 0x00, 0x00, 0x00])),
            ("version 1", RTPTestBytes.join([0x40, 0xC9, 0x00, 0x01], ssrc)),
            ("version 1 in the second packet", RTPTestBytes.join(rr, [0x41, 0xCB, 0x00, 0x01], ssrc)),
            ("SDES first", RTPTestBytes.join([0x81, 0xCA, 0x00, 0x03], ssrc, sdesItems)),
            ("BYE first", RTPTestBytes.join(bye, rr)),
            ("report count past the length", RTPTestBytes.join([0x81, 0xC9, 0x00, 0x01], ssrc)),
            // 24 octets, as its length says, but an SR needs 28 before any report block.
            (
                "SR shorter than its sender info",
                RTPTestBytes.join([0x80, 0xC8, 0x00, 0x05], ssrc, Array(zeros[..<16]))
            ),
            ("padding on a packet that is not last", RTPTestBytes.join([0xA0, 0xC9, 0x00, 0x01], ssrc, bye)),
            ("pad count of zero", RTPTestBytes.join(rr, paddedByeHeader, ssrc, [0x00, 0x00, 0x00, 0x00])),
            ("pad count past the packet", RTPTestBytes.join(rr, paddedByeHeader, ssrc, [0x00, 0x00, 0x00, 13])),
            ("padding over a report block", RTPTestBytes.join([0xA1, 0xC9, 0x00, 0x07], ssrc, zeros, [0, 0, 0, 4])),
        ]
        for (name, bytes) in cases {
            #expect(RTPTestBytes.rtcp(bytes) == nil, "\(name) was accepted")
        }
    }

    @Test func compactNTPIsTheMiddle32Bits() {
        #expect(RTCPSenderReport.compactNTP(0x0123_4567_89AB_CDEF) == 0x4567_89AB)
        #expect(Self.senderReport.compactNTPTimestamp == 0x2345_8000)
    }
}
