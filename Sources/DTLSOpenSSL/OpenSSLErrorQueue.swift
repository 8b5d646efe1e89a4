import COpenSSL

/// This thread's OpenSSL error queue as one short line. OpenSSL's reasons name the library and the failed check
/// ("SSL routines: certificate verify failed"), never key material, so the line may be logged.
enum OpenSSLErrorQueue {
    /// At most this many reasons are kept; the rest of the queue is emptied and dropped.
    static let maximumReasons = 3

    /// Empties the queue; `fallback` when it held nothing.
    static func drain(fallback: String) -> String {
        var reasons: [String] = []
        while true {
            let code = ERR_get_error()
            if code == 0 { break }
            if reasons.count < maximumReasons { reasons.append(reason(code)) }
        }
        return reasons.isEmpty ? fallback : reasons.joined(separator: "; ")
    }

    private static func reason(_ code: UInt) -> String {
        var reason = "error 0x\(String(code, radix: 16))"
        if let text = ERR_reason_error_string(code) { reason = String(cString: text) }
        guard let library = ERR_lib_error_string(code) else { return reason }
        return "\(String(cString: library)): \(reason)"
    }
}
