import SIPCore

/// One registration: an AOR bound to a contact (RFC 3261 section 10), with what is needed to refresh it
/// (Call-ID and CSeq, section 10.3 step 7), to reach it (the source flow and address, RFC 5626 section 6;
/// a WebSocket contact's `.invalid` host is not routable, RFC 7118 section 5, so requests go back over
/// `source.flow`) and to persist it.
public struct Binding: Hashable, Sendable, CustomStringConvertible {
    public var aor: AOR
    /// The Contact as registered, without its `expires` parameter (the registrar writes the remaining
    /// time there when listing bindings).
    public var contact: NameAddress
    /// `+sip.instance` without quotes and angle brackets, e.g. `urn:uuid:...` (RFC 5626 section 4.1).
    public var instanceID: String?
    /// `reg-id` (RFC 5626 section 4.2); only kept together with an instance ID.
    public var regID: Int?
    /// The contact's preference (RFC 3261 section 10.2.1.2); 1.0 when absent.
    public var q: Double
    public var expiresAt: UnixTime
    public var callID: CallID
    public var cseq: UInt32
    /// The transport, received address and flow the REGISTER came over.
    public var source: SIPSource
    /// The Path of the REGISTER (RFC 3327 section 5.3), used as a route set towards the contact.
    public var path: [NameAddress]
    /// Who registered it.
    public var authUsername: String
    public var userAgent: String?
    /// The REGISTER listed `message/cpim` in Accept: room and stored messages reach this contact as CPIM
    /// (RFC 3862) carrying their original sender. Not persisted: a restored binding gets plain text.
    public var acceptsCPIM: Bool

    public init(
        aor: AOR, contact: NameAddress, instanceID: String? = nil, regID: Int? = nil, q: Double = 1.0,
        expiresAt: UnixTime, callID: CallID, cseq: UInt32, source: SIPSource, path: [NameAddress] = [],
        authUsername: String, userAgent: String? = nil, acceptsCPIM: Bool = false
    ) {
        self.aor = aor
        self.contact = contact
        self.instanceID = instanceID
        self.regID = regID
        self.q = q
        self.expiresAt = expiresAt
        self.callID = callID
        self.cseq = cseq
        self.source = source
        self.path = path
        self.authUsername = authUsername
        self.userAgent = userAgent
        self.acceptsCPIM = acceptsCPIM
    }

    public var contactURI: URI { contact.uri }

    /// UDP, TCP and TLS bindings are kept across restarts; WebSocket bindings die with their connection.
    public var isPersistent: Bool {
        switch source.transport {
        case .udp, .tcp, .tls: return true
        case .ws, .wss: return false
        }
    }

    /// Registered with RFC 5626 outbound: keyed by (AOR, instance, reg-id) and tied to its flow.
    public var usesOutbound: Bool { instanceID != nil && regID != nil }

    public func isExpired(at now: UnixTime) -> Bool { expiresAt <= now }

    /// Seconds left, at least 0.
    public func remainingSeconds(at now: UnixTime) -> Int64 { max(0, now.seconds(until: expiresAt)) }

    public var description: String { "\(aor) -> \(contact.uri) via \(source) until \(expiresAt)" }
}
