/// Writes RTCP packets in place (RFC 3550 section 6). Each call writes one packet at the start of the
/// buffer; to build a compound packet (section 6.1: an SR or RR first, then an SDES with CNAME), write the next
/// packet into `UnsafeMutableRawBufferPointer(rebasing: buffer[written...])`.
/// No padding is written, so every packet here may be followed by another.
public enum RTCPWriter {
    /// The RC field has 5 bits (section 6.4.1). More sources need further RR packets.
    public static let maxReportBlocks = 31
    /// The SDES item type of CNAME (section 6.5.1).
    static let cnameItemType: UInt8 = 1

    /// Writes an SR (section 6.4.1).
    /// - Returns: bytes written, 28 + 24 x blocks; 0 when the buffer is too small or there are more than 31
    ///   report blocks.
    public static func writeSenderReport(
        _ report: RTCPSenderReport, into buffer: UnsafeMutableRawBufferPointer
    )
        -> Int
    {
        let blocks = report.reports.count
        guard blocks <= maxReportBlocks else { return 0 }
        let length = RTCPParser.senderReportFixedLength + blocks * RTCPReportBlock.length
        guard buffer.count >= length else { return 0 }
        writeHeader(count: blocks, packetType: RTCPSenderReport.packetType, length: length, into: buffer)
        WireBytes.store(report.ssrc, into: buffer, at: 4)
        WireBytes.store(UInt32(truncatingIfNeeded: report.ntpTimestamp >> 32), into: buffer, at: 8)
        WireBytes.store(UInt32(truncatingIfNeeded: report.ntpTimestamp), into: buffer, at: 12)
        WireBytes.store(report.rtpTimestamp, into: buffer, at: 16)
        WireBytes.store(report.packetCount, into: buffer, at: 20)
        WireBytes.store(report.octetCount, into: buffer, at: 24)
        var offset = RTCPParser.senderReportFixedLength
        for block in report.reports {
            block.write(into: buffer, at: offset)
            offset += RTCPReportBlock.length
        }
        return length
    }

    /// Writes an RR (section 6.4.2).
    /// - Returns: bytes written, 8 + 24 x blocks; 0 when the buffer is too small or there are more than 31
    ///   report blocks.
    public static func writeReceiverReport(
        _ report: RTCPReceiverReport, into buffer: UnsafeMutableRawBufferPointer
    )
        -> Int
    {
        let blocks = report.reports.count
        guard blocks <= maxReportBlocks else { return 0 }
        let length = RTCPParser.receiverReportFixedLength + blocks * RTCPReportBlock.length
        guard buffer.count >= length else { return 0 }
        writeHeader(count: blocks, packetType: RTCPReceiverReport.packetType, length: length, into: buffer)
        WireBytes.store(report.ssrc, into: buffer, at: 4)
        var offset = RTCPParser.receiverReportFixedLength
        for block in report.reports {
            block.write(into: buffer, at: offset)
            offset += RTCPReportBlock.length
        }
        return length
    }

    /// Writes an SDES packet with one chunk holding one CNAME item (sections 6.5 and 6.5.1):
    /// ```
    /// |V=2|P|  SC=1   |  PT=SDES=202  |             length            |
    /// |                             SSRC                              |
    /// |   CNAME=1     |     length    | user and domain name ...
    /// ... | 0 (end of list) and null octets to the next 32-bit boundary |
    /// ```
    /// The item list ends with one to four null octets, so the chunk ends on a 32-bit boundary.
    /// - Returns: bytes written; 0 when the buffer is too small or the CNAME is longer than 255 UTF-8 octets.
    public static func writeSDESCName(ssrc: UInt32, cname: String, into buffer: UnsafeMutableRawBufferPointer) -> Int {
        let textLength = cname.utf8.count
        guard textLength <= 255 else { return 0 }
        // Header 4 + SSRC 4 + item type 1 + item length 1 + text, then at least one null, rounded up to 4.
        let unpadded = 10 + textLength
        let length = (unpadded + 4) & ~3
        guard buffer.count >= length else { return 0 }
        writeHeader(count: 1, packetType: RTCPPacket.sdesPacketType, length: length, into: buffer)
        WireBytes.store(ssrc, into: buffer, at: 4)
        buffer[8] = cnameItemType
        buffer[9] = UInt8(textLength)
        var offset = 10
        for byte in cname.utf8 {
            buffer[offset] = byte
            offset += 1
        }
        while offset < length {
            buffer[offset] = 0
            offset += 1
        }
        return length
    }

    /// Writes a BYE for one source, without a reason (section 6.6).
    /// - Returns: bytes written, 8; 0 when the buffer is too small.
    public static func writeBye(ssrc: UInt32, into buffer: UnsafeMutableRawBufferPointer) -> Int {
        let length = 8
        guard buffer.count >= length else { return 0 }
        writeHeader(count: 1, packetType: RTCPPacket.byePacketType, length: length, into: buffer)
        WireBytes.store(ssrc, into: buffer, at: 4)
        return length
    }

    /// The common header: V=2, P=0, the 5-bit count, the type, and the length in 32-bit words minus one.
    /// `length` is a multiple of 4 and at least 4.
    private static func writeHeader(
        count: Int, packetType: UInt8, length: Int, into buffer: UnsafeMutableRawBufferPointer
    ) {
        buffer[0] = 0x80 | (UInt8(truncatingIfNeeded: count) & 0x1F)
        buffer[1] = packetType
        WireBytes.store(UInt16(truncatingIfNeeded: length / 4 - 1), into: buffer, at: 2)
    }
}
