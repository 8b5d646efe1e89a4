/// Writes the fixed RTP header (RFC 3550 section 5.1) in place.
public enum RTPHeaderWriter {
    /// The header this writer produces: 12 octets, no CSRC list, no extension.
    public static let headerLength = 12

    /// Writes a 12-octet header with V=2, P=0, X=0, CC=0 at the start of `buffer`.
    ///
    /// `buffer` must hold at least 12 bytes; when it does not, nothing is written and the result is 0.
    /// `payloadType` keeps its low 7 bits.
    /// - Returns: the number of bytes written, 12 (or 0 when the buffer is too small).
    public static func write(
        into buffer: UnsafeMutableRawBufferPointer,
        payloadType: UInt8,
        marker: Bool,
        sequenceNumber: UInt16,
        timestamp: UInt32,
        ssrc: UInt32
    ) -> Int {
        guard buffer.count >= headerLength else { return 0 }
        buffer[0] = 0x80
        buffer[1] = (marker ? 0x80 : 0) | (payloadType & 0x7F)
        WireBytes.store(sequenceNumber, into: buffer, at: 2)
        WireBytes.store(timestamp, into: buffer, at: 4)
        WireBytes.store(ssrc, into: buffer, at: 8)
        return headerLength
    }
}
