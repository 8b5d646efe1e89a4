import SIPCore

/// A REGISTER the registrar accepted: what the 200 lists and what changed.
public struct RegistrationResult: Hashable, Sendable {
    public var aor: AOR
    /// Every current binding of the AOR, highest q first, with its remaining time.
    public var contacts: [RegisteredContact]
    /// What the request changed, for the store (expired bindings of the AOR dropped on the way included).
    public var changes: [BindingChange]
    /// A Contact carried +sip.instance and reg-id: RFC 5626 outbound applied.
    public var usedOutbound: Bool
    /// The 200 carries `Require: outbound` (outbound applied and the client listed it in Supported,
    /// RFC 5626 section 6; RFC 3261 section 20.32 allows no Require the client did not support).
    public var requireOutbound: Bool
    /// The Path to echo in the 200 (RFC 3327 section 5.3: when the client supports path).
    public var path: [NameAddress]

    public init(
        aor: AOR, contacts: [RegisteredContact], changes: [BindingChange], usedOutbound: Bool = false,
        requireOutbound: Bool = false, path: [NameAddress] = []
    ) {
        self.aor = aor
        self.contacts = contacts
        self.changes = changes
        self.usedOutbound = usedOutbound
        self.requireOutbound = requireOutbound
        self.path = path
    }
}
