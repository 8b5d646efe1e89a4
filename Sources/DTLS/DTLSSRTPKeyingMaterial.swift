/// What a completed DTLS-SRTP handshake yields for SRTP (RFC 5764 section 4.2).
///
/// `description` leaves the key material out so an event can be logged (DESIGN.md: SRTP keys never reach a log).
public struct DTLSSRTPKeyingMaterial: Sendable {
    /// The negotiated SRTP protection profile (RFC 5764 section 4.1.2, RFC 7714 section 14.2): 0x0001
    /// `SRTP_AES128_CM_HMAC_SHA1_80`, 0x0002 `..._32`, 0x0007 `SRTP_AEAD_AES_128_GCM`, 0x0008 `..._256_GCM`.
    public var protectionProfileID: UInt16
    /// The exporter output for the label `EXTRACTOR-dtls_srtp` (RFC 5705), `2 * (key + salt)` bytes:
    /// client key, server key, client salt, server salt (RFC 5764 section 4.2).
    public var material: [UInt8]
    /// Whether this endpoint was the DTLS client, so whether its outgoing keys are the client's.
    public var isClient: Bool

    public init(protectionProfileID: UInt16, material: [UInt8], isClient: Bool) {
        self.protectionProfileID = protectionProfileID
        self.material = material
        self.isClient = isClient
    }
}

extension DTLSSRTPKeyingMaterial: CustomStringConvertible, CustomDebugStringConvertible {
    public var description: String {
        let hexID = String(protectionProfileID, radix: 16)
        let profile = "0x" + String(repeating: "0", count: max(0, 4 - hexID.count)) + hexID
        return "DTLSSRTPKeyingMaterial(profile: \(profile), \(isClient ? "client" : "server"), \(material.count) bytes)"
    }

    public var debugDescription: String { description }
}
