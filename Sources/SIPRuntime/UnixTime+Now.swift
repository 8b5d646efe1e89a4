import Foundation
import SIPServices

extension UnixTime {
    /// The wall clock, for the registrar's expiry times that outlive a restart.
    public static func now() -> UnixTime {
        UnixTime(milliseconds: Int64(Date().timeIntervalSince1970 * 1000))
    }
}
