import COpenSSL

/// SRTP and SRTCP protection for one direction of a session: one master key, any number of SSRCs
/// (RFC 3711, RFC 7714). Protect with the local master key, unprotect with the remote one; use a context
/// for one of the two, since sending and receiving share the per-SSRC state.
///
/// Packets are transformed in place in the caller's buffer. The OpenSSL contexts, HMAC pad states and IV
/// scratch space are made once here and reused, so protecting or unprotecting allocates nothing (a new
/// SSRC aside).
///
/// Not thread-safe and deliberately not `Sendable`: one owner (the media session on its event loop) calls
/// it, as with every engine.
public final class SRTPContext {
    public let profile: SRTPProfile

    /// SRTP keys (labels 0x00-0x02) and SRTCP keys (0x03-0x05).
    let rtp: SRTPTransform
    let rtcp: SRTPTransform
    var rtpStreams = SRTPStreamTable()
    var rtcpStreams = SRTPStreamTable()

    /// Reused per packet: the IV at `ivOffset`, the 4-byte HMAC trailer (ROC, or E || SRTCP index for GCM's
    /// AAD) at `trailerOffset`, the 20-byte HMAC output at `digestOffset`.
    let scratch: UnsafeMutableRawPointer
    static let ivOffset = 0
    static let trailerOffset = 16
    static let digestOffset = 32
    static let scratchSize = 64

    /// A context for `masterKey`, with session keys derived as RFC 3711 section 4.3 describes (key
    /// derivation rate 0) or, for AEAD_AES_128_GCM, RFC 7714 section 11.
    /// Throws `.cryptoFailure` when the key or salt length does not fit `profile` or OpenSSL fails.
    public convenience init(profile: SRTPProfile, masterKey: SRTPMasterKey) throws(SRTPError) {
        guard let rtpKeys = SRTPSessionKeys(profile: profile, masterKey: masterKey, rtcp: false),
            let rtcpKeys = SRTPSessionKeys(profile: profile, masterKey: masterKey, rtcp: true)
        else { throw .cryptoFailure }
        try self.init(profile: profile, rtpKeys: rtpKeys, rtcpKeys: rtcpKeys)
    }

    /// A context with session keys given directly, as the RFC 3711 appendix B.2 and RFC 7714 section 16-17
    /// vectors give them.
    init(profile: SRTPProfile, rtpKeys: SRTPSessionKeys, rtcpKeys: SRTPSessionKeys) throws(SRTPError) {
        guard let rtp = SRTPTransform(profile: profile, keys: rtpKeys),
            let rtcp = SRTPTransform(profile: profile, keys: rtcpKeys)
        else { throw .cryptoFailure }
        self.profile = profile
        self.rtp = rtp
        self.rtcp = rtcp
        scratch = UnsafeMutableRawPointer.allocate(byteCount: Self.scratchSize, alignment: 16)
        scratch.initializeMemory(as: UInt8.self, repeating: 0, count: Self.scratchSize)
    }

    deinit {
        OPENSSL_cleanse(scratch, Self.scratchSize)
        scratch.deallocate()
    }

    /// The AES-CM IV into `scratch` (RFC 3711 section 4.1.1):
    /// `IV = (k_s * 2^16) XOR (SSRC * 2^64) XOR (i * 2^16)`, 16 bytes, with i the 48-bit SRTP index or the
    /// 31-bit SRTCP index (section 3.4).
    @inline(__always)
    func writeCounterIV(salt: UnsafeRawPointer, ssrc: UInt32, index: UInt64) {
        let high = UInt64(ssrc).bigEndian ^ salt.loadUnaligned(as: UInt64.self)
        let low = (index << 16).bigEndian ^ salt.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
        scratch.storeBytes(of: high, toByteOffset: Self.ivOffset, as: UInt64.self)
        scratch.storeBytes(of: low, toByteOffset: Self.ivOffset + 8, as: UInt64.self)
    }

    /// The GCM IV into `scratch`: `IV = (0x0000 || SSRC || ROC || SEQ) XOR salt` for SRTP (RFC 7714
    /// section 8.1) and `(0x0000 || SSRC || 0x0000 || 0 || SRTCP index) XOR salt` for SRTCP (section 9.1),
    /// 12 bytes; both are `0x0000 || SSRC || 48-bit index`.
    @inline(__always)
    func writeGCMIV(salt: UnsafeRawPointer, ssrc: UInt32, index: UInt64) {
        let high = UInt32(ssrc >> 16).bigEndian ^ salt.loadUnaligned(as: UInt32.self)
        let lowBits = (UInt64(ssrc & 0xFFFF) << 48) | (index & 0xFFFF_FFFF_FFFF)
        let low = lowBits.bigEndian ^ salt.loadUnaligned(fromByteOffset: 4, as: UInt64.self)
        scratch.storeBytes(of: high, toByteOffset: Self.ivOffset, as: UInt32.self)
        scratch.storeBytes(of: low, toByteOffset: Self.ivOffset + 4, as: UInt64.self)
    }
}
