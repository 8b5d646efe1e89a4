/// One named-event report in an `audio/telephone-event` payload (RFC 4733 section 2.3):
/// ```
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |     event     |E|R| volume    |          duration             |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ```
/// DTMF digits are events 0-9, `*` 10, `#` 11, A-D 12-15 (section 3.2).
public struct TelephoneEvent: Hashable, Sendable {
    /// Octets of one event report.
    public static let length = 4

    /// The event code (section 2.3.1).
    public var event: UInt8
    /// E: the final packet(s) of the event (section 2.3.2).
    public var end: Bool
    /// Power level in -dBm0, 0...63 (section 2.3.4); values above 63 are written as 63.
    public var volume: UInt8
    /// Duration so far in RTP timestamp units, from the event's start timestamp (section 2.3.5).
    public var duration: UInt16

    public init(event: UInt8, end: Bool, volume: UInt8, duration: UInt16) {
        self.event = event
        self.end = end
        self.volume = volume
        self.duration = duration
    }

    /// Reads the first event report of a payload; nil when fewer than 4 octets. The R bit is ignored
    /// (section 2.3.3: receivers ignore it). When several reports are stacked (section 2.5.1.5), read the
    /// others by slicing the payload at multiples of 4.
    public init?(payload: UnsafeRawBufferPointer) {
        guard payload.count >= Self.length else { return nil }
        let flags = payload[1]
        self.event = payload[0]
        self.end = flags & 0x80 != 0
        self.volume = flags & 0x3F
        self.duration = WireBytes.uint16(payload, at: 2)
    }

    /// Writes the report with R=0 (section 2.3.3).
    /// - Returns: bytes written, 4; 0 when the buffer is too small.
    public func write(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        guard buffer.count >= Self.length else { return 0 }
        buffer[0] = event
        buffer[1] = (end ? 0x80 : 0) | min(volume, 63)
        WireBytes.store(duration, into: buffer, at: 2)
        return Self.length
    }
}
