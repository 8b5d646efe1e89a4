/// Serial-number arithmetic for RTP sequence numbers and timestamps (RFC 1982 section 3.2): values wrap,
/// so "newer" means ahead by less than half the number space.
///
/// The overloads are told apart by the argument types (`UInt16` sequence numbers, `UInt32` timestamps).
public enum RTPSerial {
    /// `a` is after `b` in 16-bit serial order (RFC 1982, SERIAL_BITS = 16). Values exactly half the space
    /// apart are not ordered (RFC 1982 leaves them undefined): neither is newer.
    public static func isNewer(_ a: UInt16, than b: UInt16) -> Bool {
        let delta = a &- b
        return delta != 0 && delta < 0x8000
    }

    /// Signed steps from `from` to `to`, the shortest way around: `distance(65535, 1) == 2`.
    public static func distance(_ from: UInt16, _ to: UInt16) -> Int16 {
        Int16(bitPattern: to &- from)
    }

    /// `a` is after `b` in 32-bit serial order (RFC 1982, SERIAL_BITS = 32), for RTP timestamps.
    public static func isNewer(_ a: UInt32, than b: UInt32) -> Bool {
        let delta = a &- b
        return delta != 0 && delta < 0x8000_0000
    }

    /// Signed clock ticks from `from` to `to`, the shortest way around.
    public static func distance(_ from: UInt32, _ to: UInt32) -> Int32 {
        Int32(bitPattern: to &- from)
    }
}
