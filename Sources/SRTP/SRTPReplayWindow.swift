/// The replay list of RFC 3711 section 3.3.2 as a sliding window of 128 indices (libsrtp's default; the RFC
/// asks for at least 64) behind the highest index authenticated so far.
struct SRTPReplayWindow {
    static let size: UInt64 = 128

    /// The highest authenticated index: ROC * 2^16 + SEQ for SRTP, the SRTCP index for SRTCP.
    private(set) var highest: UInt64
    /// Bit n set: index `highest - n` was received. Bits 0-63 in `recent`, 64-127 in `older`.
    private var recent: UInt64
    private var older: UInt64

    /// A window whose first packet is `highest`.
    init(highest: UInt64) {
        self.highest = highest
        recent = 1
        older = 0
    }

    /// Throws `.replayed` for an index already received and `.tooOld` for one behind the window; an index
    /// ahead of `highest` passes. Checked before authentication, so a replay costs no HMAC.
    func check(_ index: UInt64) throws(SRTPError) {
        guard index <= highest else { return }
        let age = highest - index
        guard age < Self.size else { throw .tooOld }
        let seen = age < 64 ? (recent >> age) & 1 : (older >> (age - 64)) & 1
        if seen != 0 { throw .replayed }
    }

    /// Records an authenticated index; a new highest slides the window forward.
    mutating func accept(_ index: UInt64) {
        if index > highest {
            let shift = index - highest
            if shift >= Self.size {
                older = 0
                recent = 0
            } else if shift >= 64 {
                older = recent << (shift - 64)
                recent = 0
            } else {
                older = (older << shift) | (recent >> (64 - shift))
                recent <<= shift
            }
            recent |= 1
            highest = index
        } else {
            let age = highest - index
            if age < 64 {
                recent |= 1 << age
            } else if age < Self.size {
                older |= 1 << (age - 64)
            }
        }
    }
}
