/// Cuts the bytes a DTLS library wrote back to back into datagrams of whole records.
///
/// RFC 6347 section 4.1.1: a record must not span datagrams, several records may share one, and a datagram
/// should fit the path MTU. Records are packed in order, greedily, each datagram up to `maximumDatagramSize`
/// bytes; a single record larger than that goes alone.
public enum DTLSRecordPacker {
    /// The DTLS record header: type (1), version (2), epoch (2), sequence_number (6), length (2).
    /// RFC 6347 section 4.1.
    public static let headerLength = 13

    /// The datagrams for `bytes`, in order. A truncated record at the end (which a DTLS library never writes)
    /// goes out as it is, in a datagram of its own: the peer discards it (RFC 6347 section 4.1.2.7).
    public static func datagrams(from bytes: UnsafeRawBufferPointer, maximumDatagramSize: Int) -> [[UInt8]] {
        var datagrams: [[UInt8]] = []
        var datagramStart = 0
        var offset = 0
        while offset < bytes.count {
            var recordEnd = bytes.count
            var complete = false
            if bytes.count - offset >= headerLength {
                let length = Int(bytes[offset + 11]) << 8 | Int(bytes[offset + 12])
                if offset + headerLength + length <= bytes.count {
                    recordEnd = offset + headerLength + length
                    complete = true
                }
            }
            if offset > datagramStart, !complete || recordEnd - datagramStart > maximumDatagramSize {
                datagrams.append(Array(bytes[datagramStart..<offset]))
                datagramStart = offset
            }
            offset = recordEnd
        }
        if offset > datagramStart {
            datagrams.append(Array(bytes[datagramStart..<offset]))
        }
        return datagrams
    }
}
