/// Buffers a session reuses for every packet: one outgoing datagram, PCM for decoding and for the
/// 20 ms frames being encoded. Allocated once per session, so the steady path allocates nothing.
final class PacketScratch {
    /// Room for an RTP header, the largest Opus packet, and the SRTP tag.
    static let datagramCapacity = 1500
    /// 120 ms at 8 kHz, the longest Opus frame.
    static let pcmCapacity = 960

    let datagram: UnsafeMutableRawBufferPointer
    let decoded: UnsafeMutableBufferPointer<Int16>

    init() {
        datagram = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.datagramCapacity, alignment: 16)
        datagram.initializeMemory(as: UInt8.self, repeating: 0)
        decoded = UnsafeMutableBufferPointer<Int16>.allocate(capacity: Self.pcmCapacity)
        decoded.initialize(repeating: 0)
    }

    deinit {
        datagram.deallocate()
        decoded.deallocate()
    }
}
