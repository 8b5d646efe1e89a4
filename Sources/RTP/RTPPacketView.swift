/// A validated, zero-copy view of one RTP packet (RFC 3550 section 5.1).
///
/// ```
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |V=2|P|X|  CC   |M|     PT      |       sequence number         |
/// |                           timestamp                           |
/// |           synchronization source (SSRC) identifier            |
/// |            contributing source (CSRC) identifiers             |  CC x 32 bits
/// |  defined by profile (X=1)     |           length              |  section 5.3.1
/// |                        header extension                       |  length x 32 bits
/// |                       payload ...     | padding ... | count   |  P=1
/// ```
///
/// The view keeps only scalars and offsets, never the pointer, so it is trivially copyable and `Sendable`;
/// slice the bytes it was made from with `payloadRange` to reach the payload. Building one does not allocate.
public struct RTPPacketView: Hashable, Sendable {
    /// The fixed part of the header: 12 octets (section 5.1).
    public static let fixedHeaderLength = 12

    private let firstByte: UInt8
    private let secondByte: UInt8

    /// The 16-bit sequence number (section 5.1).
    public let sequenceNumber: UInt16
    /// The RTP timestamp, in the payload format's clock (section 5.1).
    public let timestamp: UInt32
    /// The synchronization source (section 5.1).
    public let ssrc: UInt32
    /// 12 + 4 x CC, plus the header extension (its 4-octet header and data) when X is set.
    public let headerLength: Int
    /// The payload's bytes in the packet: after the header, before any padding.
    public let payloadRange: Range<Int>
    /// The extension's "defined by profile" 16 bits (0xBEDE for RFC 8285 one-byte headers), when X is set.
    public let extensionProfile: UInt16?
    /// The extension data after its 4-octet header (section 5.3.1), when X is set.
    public let extensionRange: Range<Int>?
    /// Padding octets at the end, the count octet included; 0 without P.
    public let paddingLength: Int
    /// The whole packet's length, as validated.
    public let packetLength: Int

    /// Validates `bytes` as one RTP packet; nil when it is not one (section 5.1, 5.3.1, A.1):
    /// shorter than 12 octets, version other than 2, CSRC list or header extension running past the end,
    /// or P set with a pad count of 0 or larger than what follows the header.
    public init?(_ bytes: UnsafeRawBufferPointer) {
        let count = bytes.count
        guard count >= Self.fixedHeaderLength else { return nil }
        let first = bytes[0]
        // Section 5.1: V is 2.
        guard first >> 6 == 2 else { return nil }
        var headerLength = Self.fixedHeaderLength + 4 * Int(first & 0x0F)
        guard headerLength <= count else { return nil }

        var extensionProfile: UInt16? = nil
        var extensionRange: Range<Int>? = nil
        if first & 0x10 != 0 {
            // Section 5.3.1: a 4-octet header whose length counts the 32-bit words that follow it.
            guard count - headerLength >= 4 else { return nil }
            extensionProfile = WireBytes.uint16(bytes, at: headerLength)
            let words = Int(WireBytes.uint16(bytes, at: headerLength + 2))
            let dataStart = headerLength + 4
            guard count - dataStart >= 4 * words else { return nil }
            extensionRange = dataStart..<(dataStart + 4 * words)
            headerLength = dataStart + 4 * words
        }

        var paddingLength = 0
        if first & 0x20 != 0 {
            // Section 5.1: the last octet counts the padding octets including itself, so it is at least 1,
            // and padding cannot reach back into the header.
            paddingLength = Int(bytes[count - 1])
            guard paddingLength >= 1, paddingLength <= count - headerLength else { return nil }
        }

        self.firstByte = first
        self.secondByte = bytes[1]
        self.sequenceNumber = WireBytes.uint16(bytes, at: 2)
        self.timestamp = WireBytes.uint32(bytes, at: 4)
        self.ssrc = WireBytes.uint32(bytes, at: 8)
        self.headerLength = headerLength
        self.payloadRange = headerLength..<(count - paddingLength)
        self.extensionProfile = extensionProfile
        self.extensionRange = extensionRange
        self.paddingLength = paddingLength
        self.packetLength = count
    }

    /// V: always 2 for a view that validated.
    public var version: UInt8 { firstByte >> 6 }
    /// P: the packet ends with padding (excluded from `payloadRange`).
    public var padding: Bool { firstByte & 0x20 != 0 }
    /// X: a header extension follows the CSRC list (section 5.3.1).
    public var hasExtension: Bool { firstByte & 0x10 != 0 }
    /// CC: the number of CSRC identifiers, 0...15.
    public var csrcCount: Int { Int(firstByte & 0x0F) }
    /// M: profile-defined; for audio, the first packet of a talkspurt (RFC 3551 section 4.1).
    public var marker: Bool { secondByte & 0x80 != 0 }
    /// PT: 0...127.
    public var payloadType: UInt8 { secondByte & 0x7F }

    /// The CSRC at `index`, read from the same bytes the view was built from; nil when out of range.
    public func csrc(at index: Int, in bytes: UnsafeRawBufferPointer) -> UInt32? {
        guard index >= 0, index < csrcCount else { return nil }
        let offset = Self.fixedHeaderLength + 4 * index
        guard offset + 4 <= bytes.count else { return nil }
        return WireBytes.uint32(bytes, at: offset)
    }
}
