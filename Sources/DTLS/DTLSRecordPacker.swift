/// Cuts the bytes a DTLS library wrote back to back into datagrams of whole records.
///
/// RFC 6347 section 4.1.1: a record must not span datagrams, several records may share one, and a datagram
/// should fit the path MTU. Records are packed in order, greedily, each datagram up to `maximumDatagramSize`
/// bytes; a single record larger than that goes alone. A record whose version differs from the one before it
/// starts a new datagram (see `datagrams(from:maximumDatagramSize:)`).
public enum DTLSRecordPacker {
    /// The DTLS record header: type (1), version (2), epoch (2), sequence_number (6), length (2).
    /// RFC 6347 section 4.1.
    public static let headerLength = 13

    /// The datagrams for `bytes`, in order. A truncated record at the end (which a DTLS library never writes)
    /// goes out as it is, in a datagram of its own: the peer discards it (RFC 6347 section 4.1.2.7).
    ///
    /// Records of different versions (RFC 6347 section 4.1) never share a datagram. A ClientHello carries
    /// DTLS 1.0's {254, 255}; when its retransmission timer has expired, OpenSSL resends it just before the
    /// client's next flight (DTLS 1.2, {254, 253}). A DTLS 1.2 OpenSSL peer drops a record of another version by
    /// skipping only its 13-byte header, then misreads the body as records and loses the rest of the datagram:
    /// the whole next flight.
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
            // A complete record has its version at offsets 1...2, and so has the datagram's first record (only
            // a truncated record, always the last, can be shorter than a header).
            if offset > datagramStart,
                !complete || recordEnd - datagramStart > maximumDatagramSize
                    || bytes[offset + 1] != bytes[datagramStart + 1] || bytes[offset + 2] != bytes[datagramStart + 2]
            {
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
