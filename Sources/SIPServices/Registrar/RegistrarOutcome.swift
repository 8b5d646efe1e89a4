import SIPCore

/// What the registrar decided for one REGISTER.
public enum RegistrarOutcome: Hashable, Sendable {
    /// 200 OK listing the bindings.
    case ok(RegistrationResult)
    /// A final error response; `reason` is the reason phrase, `extraHeaders` go into the response
    /// (Min-Expires with a 423, RFC 3261 section 10.3 step 6).
    case reject(status: SIPStatus, reason: String, extraHeaders: [HeaderField])

    public var isOK: Bool {
        if case .ok = self { return true }
        return false
    }

    /// The status the response will carry.
    public var status: SIPStatus {
        switch self {
        case .ok: return .ok
        case .reject(let status, _, _): return status
        }
    }
}
