/// Why a packet could not be protected or unprotected. The packet is to be dropped; none of these is fatal
/// to the context.
public enum SRTPError: Error, Sendable, Equatable {
    /// The packet is shorter than its header (12 bytes plus CSRCs and extension for RTP, 8 for RTCP) plus,
    /// when unprotecting, the trailer.
    case tooShort
    /// The tag does not match (RFC 3711 section 3.3 step 5, RFC 7714 section 8). When unprotecting with
    /// AEAD_AES_128_GCM the payload bytes are left scrambled.
    case authenticationFailed
    /// The index was already received (RFC 3711 section 3.3.2).
    case replayed
    /// The index is behind the replay window (RFC 3711 section 3.3.2), or would precede the stream's start.
    case tooOld
    /// `length` exceeds the buffer, or the buffer has no room for the tag (and SRTCP index) to append.
    case bufferTooSmall
    /// A key or salt has the wrong length for the profile, or OpenSSL failed.
    case cryptoFailure
}
