import SDP

extension MediaDirection {
    /// The direction that sends and receives as told.
    public init(sends: Bool, receives: Bool) {
        switch (sends, receives) {
        case (true, true): self = .sendrecv
        case (true, false): self = .sendonly
        case (false, true): self = .recvonly
        case (false, false): self = .inactive
        }
    }

    /// The direction to answer `offered` with when the answerer would like `local`.
    ///
    /// RFC 3264 section 6.1: a sendonly stream is answered recvonly or inactive, a recvonly one sendonly or
    /// inactive, an inactive one inactive, and a sendrecv one with any direction. So the answer sends only what the
    /// offerer receives and receives only what it sends, narrowed to what the answerer wants.
    public static func answering(
        _ offered: MediaDirection, wanting local: MediaDirection = .sendrecv
    ) -> MediaDirection {
        MediaDirection(sends: offered.receives && local.sends, receives: offered.sends && local.receives)
    }
}
