/// The direction property attributes `a=sendrecv`, `a=sendonly`, `a=recvonly` and `a=inactive`.
/// RFC 8866 section 6.7: at session or media level; media level overrides; sendrecv when neither says.
public enum MediaDirection: String, Hashable, Sendable, CaseIterable {
    case sendrecv
    case sendonly
    case recvonly
    case inactive

    public var sends: Bool { self == .sendrecv || self == .sendonly }
    public var receives: Bool { self == .sendrecv || self == .recvonly }

    /// The direction of an answer to an offer with this direction (RFC 3264 section 6.1).
    public var reversed: MediaDirection {
        switch self {
        case .sendonly: .recvonly
        case .recvonly: .sendonly
        case .sendrecv, .inactive: self
        }
    }
}
