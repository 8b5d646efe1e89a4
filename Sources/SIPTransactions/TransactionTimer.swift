/// The names of the transaction timers (RFC 3261 section 17 and appendix A; L and M from RFC 6026).
public enum TransactionTimer: UInt8, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    case a, b, d, e, f, g, h, i, j, k, l, m

    public var description: String {
        switch self {
        case .a: return "Timer A"
        case .b: return "Timer B"
        case .d: return "Timer D"
        case .e: return "Timer E"
        case .f: return "Timer F"
        case .g: return "Timer G"
        case .h: return "Timer H"
        case .i: return "Timer I"
        case .j: return "Timer J"
        case .k: return "Timer K"
        case .l: return "Timer L"
        case .m: return "Timer M"
        }
    }
}
