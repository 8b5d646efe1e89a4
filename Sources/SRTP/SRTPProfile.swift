/// An SRTP protection profile, as negotiated by the DTLS `use_srtp` extension (RFC 5764 section 4.1.2,
/// RFC 7714 section 14.2).
public enum SRTPProfile: Sendable, Hashable {
    /// AES-128 counter mode with an 80-bit HMAC-SHA1 tag (RFC 3711 section 5, RFC 5764 section 4.1.2).
    case aesCM128HmacSHA1_80
    /// AES-128 counter mode with a 32-bit HMAC-SHA1 tag on SRTP; SRTCP keeps 80 bits (RFC 5764 section 4.1.2).
    case aesCM128HmacSHA1_32
    /// AES-128-GCM with a 16-byte tag (RFC 7714).
    case aeadAES128GCM

    /// The profile with `dtlsProfileID` in the DTLS-SRTP protection profile registry; nil for others.
    /// RFC 5764 section 4.1.2: `{0x00, 0x01}` AES_CM_128_HMAC_SHA1_80, `{0x00, 0x02}` _32;
    /// RFC 7714 section 14.2: `{0x00, 0x07}` AEAD_AES_128_GCM.
    public init?(dtlsProfileID: UInt16) {
        switch dtlsProfileID {
        case 0x0001: self = .aesCM128HmacSHA1_80
        case 0x0002: self = .aesCM128HmacSHA1_32
        case 0x0007: self = .aeadAES128GCM
        default: return nil
        }
    }

    /// The DTLS-SRTP protection profile identifier.
    public var dtlsProfileID: UInt16 {
        switch self {
        case .aesCM128HmacSHA1_80: 0x0001
        case .aesCM128HmacSHA1_32: 0x0002
        case .aeadAES128GCM: 0x0007
        }
    }

    /// The name `SSL_CTX_set_tlsext_use_srtp` takes for this profile.
    public var openSSLName: String {
        switch self {
        case .aesCM128HmacSHA1_80: "SRTP_AES128_CM_SHA1_80"
        case .aesCM128HmacSHA1_32: "SRTP_AES128_CM_SHA1_32"
        case .aeadAES128GCM: "SRTP_AEAD_AES_128_GCM"
        }
    }

    /// Master key bytes: 16 for all three (RFC 3711 section 8.2, RFC 7714 section 12).
    public var masterKeyLength: Int { 16 }

    /// Master salt bytes: 14 for AES-CM (RFC 3711 section 8.2), 12 for GCM (RFC 7714 section 12).
    public var masterSaltLength: Int {
        switch self {
        case .aesCM128HmacSHA1_80, .aesCM128HmacSHA1_32: 14
        case .aeadAES128GCM: 12
        }
    }

    /// Bytes of tag appended to each SRTP packet.
    public var rtpAuthTagLength: Int {
        switch self {
        case .aesCM128HmacSHA1_80: 10
        case .aesCM128HmacSHA1_32: 4
        case .aeadAES128GCM: 16
        }
    }

    /// Bytes of tag appended to each SRTCP packet, after (AES-CM) or before (GCM) the 4-byte E flag and
    /// SRTCP index. RFC 5764 section 4.1.2: the _32 profile still uses an 80-bit SRTCP tag.
    public var rtcpAuthTagLength: Int {
        switch self {
        case .aesCM128HmacSHA1_80, .aesCM128HmacSHA1_32: 10
        case .aeadAES128GCM: 16
        }
    }

    /// True for the AEAD profile: no HMAC key, the cipher authenticates.
    var isAEAD: Bool { self == .aeadAES128GCM }

    /// HMAC-SHA1 session authentication key bytes (n_a = 160, RFC 3711 section 8.2).
    static let authenticationKeyLength = 20
}
