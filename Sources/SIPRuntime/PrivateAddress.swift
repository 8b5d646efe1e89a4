/// Addresses that are not reachable from elsewhere: a Contact holding one, different from the packet's
/// source, means the device is behind a NAT (RFC 1918, RFC 6598, RFC 3927, RFC 4193, RFC 4291).
enum PrivateAddress {
    static func isPrivate(_ host: String) -> Bool {
        if host.contains(":") {
            let lower = host.lowercased()
            return lower.hasPrefix("fc") || lower.hasPrefix("fd") || lower.hasPrefix("fe8") || lower.hasPrefix("fe9")
                || lower.hasPrefix("fea") || lower.hasPrefix("feb")
        }
        let octets = host.split(separator: ".").compactMap { UInt8($0) }
        guard octets.count == 4 else { return false }
        switch (octets[0], octets[1]) {
        case (10, _): return true
        case (172, 16...31): return true
        case (192, 168): return true
        case (100, 64...127): return true
        case (169, 254): return true
        default: return false
        }
    }
}
