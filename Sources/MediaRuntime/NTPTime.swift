#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The wall clock as a 64-bit NTP timestamp (RFC 3550 section 4: seconds since 1900 in the high word,
/// the fraction in the low word), for RTCP sender reports.
enum NTPTime {
    static let unixEpochOffset: UInt64 = 2_208_988_800

    static func now() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        let seconds = UInt64(time.tv_sec) + unixEpochOffset
        let fraction = (UInt64(time.tv_nsec) << 32) / 1_000_000_000
        return (seconds << 32) | fraction
    }
}
