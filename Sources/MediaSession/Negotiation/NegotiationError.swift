/// Why a session description cannot carry a media leg. The SIP side answers an offer that fails this way with
/// 488 Not Acceptable Here (RFC 3261 section 21.4.26) and may put `reason` in a Warning header.
///
/// Reasons never quote values from the description, so ICE passwords cannot leak into a log or a reason phrase.
public enum NegotiationError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The description has no m=audio section at all.
    case noAudio(String)
    /// Audio is there, but not over a profile this leg speaks (DTLS-SRTP on the web leg, plain RTP on the device leg).
    case unsupportedProfile(String)
    /// The only usable audio section is rejected or disabled: port 0 (RFC 3264 section 6).
    case rejected(String)
    /// No `a=ice-ufrag` / `a=ice-pwd` at media or session level (RFC 8839 section 5.4).
    case missingICECredentials(String)
    /// No `a=fingerprint` with a hash function we can verify (RFC 8122 section 5).
    case missingFingerprint(String)
    /// No c= line for the audio section, at media or session level (RFC 8866 section 5.7).
    case missingConnection(String)

    /// A short human explanation.
    public var reason: String {
        switch self {
        case .noAudio(let reason), .unsupportedProfile(let reason), .rejected(let reason),
            .missingICECredentials(let reason), .missingFingerprint(let reason), .missingConnection(let reason):
            reason
        }
    }

    /// The SIP status to answer an offer with: 488 Not Acceptable Here (RFC 3261 section 21.4.26).
    public var statusCode: Int { 488 }

    public var description: String { "unusable SDP: \(reason)" }
}
