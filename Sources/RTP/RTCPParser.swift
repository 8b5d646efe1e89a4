/// Parses compound RTCP packets (RFC 3550 section 6.1), with the validity checks of appendix A.2.
///
/// Every packet starts with the common header:
/// ```
/// |V=2|P|  count  |      PT       |             length            |
/// ```
/// where length is the packet's size in 32-bit words minus one.
public enum RTCPParser {
    /// The common header: 4 octets.
    static let headerLength = 4
    /// SR: header, SSRC and the 20-octet sender information (section 6.4.1).
    static let senderReportFixedLength = 28
    /// RR: header and SSRC (section 6.4.2).
    static let receiverReportFixedLength = 8

    /// Splits and decodes a compound RTCP packet (already decrypted when it came as SRTCP).
    ///
    /// Returns nil when the datagram is malformed (section 6.1, A.2): a packet whose version is not 2; a length
    /// field that runs past the datagram or lengths that do not add up to it; a first packet that is not
    /// an SR or RR; padding (P) on any packet but the last, or a pad count of 0 or larger than the packet;
    /// an SR or RR whose report count needs more octets than its length gives.
    /// SR and RR are decoded; every other type is returned as `.other` with its type and length.
    /// Allocates the result array: RTCP arrives a few times a second, not per media packet.
    public static func parseCompound(_ bytes: UnsafeRawBufferPointer) -> [RTCPPacket]? {
        let count = bytes.count
        // Section 6.1: the first packet is an SR or RR, so at least 8 octets.
        guard count >= receiverReportFixedLength else { return nil }
        var packets: [RTCPPacket] = []
        var offset = 0
        while offset < count {
            guard count - offset >= headerLength else { return nil }
            let first = bytes[offset]
            // A.2: version 2.
            guard first >> 6 == 2 else { return nil }
            let packetType = bytes[offset + 1]
            let length = (Int(WireBytes.uint16(bytes, at: offset + 2)) + 1) * 4
            // A.2: the lengths add up to the datagram.
            guard length <= count - offset else { return nil }
            let end = offset + length
            var contentEnd = end
            if first & 0x20 != 0 {
                // Section 6.4.1 (P): padding is only needed, and only allowed, on the last packet; its last octet
                // counts the padding including itself.
                guard end == count else { return nil }
                let padding = Int(bytes[end - 1])
                guard padding >= 1, padding <= length - headerLength else { return nil }
                contentEnd = end - padding
            }
            // Section 6.1 and A.2: a compound packet begins with an SR or RR.
            if packets.isEmpty, packetType != RTCPSenderReport.packetType, packetType != RTCPReceiverReport.packetType {
                return nil
            }
            let reportCount = Int(first & 0x1F)
            switch packetType {
            case RTCPSenderReport.packetType:
                let blocksStart = offset + senderReportFixedLength
                guard contentEnd - blocksStart >= reportCount * RTCPReportBlock.length else { return nil }
                let ntpHigh = UInt64(WireBytes.uint32(bytes, at: offset + 8))
                let ntpLow = UInt64(WireBytes.uint32(bytes, at: offset + 12))
                let report = RTCPSenderReport(
                    ssrc: WireBytes.uint32(bytes, at: offset + 4),
                    ntpTimestamp: ntpHigh << 32 | ntpLow,
                    rtpTimestamp: WireBytes.uint32(bytes, at: offset + 16),
                    packetCount: WireBytes.uint32(bytes, at: offset + 20),
                    octetCount: WireBytes.uint32(bytes, at: offset + 24),
                    reports: reportBlocks(bytes, at: blocksStart, count: reportCount)
                )
                packets.append(.senderReport(report))
            case RTCPReceiverReport.packetType:
                let blocksStart = offset + receiverReportFixedLength
                guard contentEnd - blocksStart >= reportCount * RTCPReportBlock.length else { return nil }
                let report = RTCPReceiverReport(
                    ssrc: WireBytes.uint32(bytes, at: offset + 4),
                    reports: reportBlocks(bytes, at: blocksStart, count: reportCount)
                )
                packets.append(.receiverReport(report))
            default:
                packets.append(.other(packetType: packetType, length: length))
            }
            offset = end
        }
        return packets
    }

    /// `count` blocks from `offset`; the caller has checked they fit. Anything after them in the packet is a
    /// profile-specific extension (section 6.4.1) and is skipped.
    private static func reportBlocks(_ bytes: UnsafeRawBufferPointer, at offset: Int, count: Int) -> [RTCPReportBlock] {
        var blocks: [RTCPReportBlock] = []
        blocks.reserveCapacity(count)
        for index in 0..<count {
            blocks.append(RTCPReportBlock(reading: bytes, at: offset + index * RTCPReportBlock.length))
        }
        return blocks
    }
}
