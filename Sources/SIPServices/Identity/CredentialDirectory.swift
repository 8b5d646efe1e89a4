import SIPCore

/// Where the authenticator's caller finds private identities and checks public identities. The store
/// implements it; engines ask it through their owner, never directly from I/O code.
public protocol CredentialDirectory {
    /// The private identity with this auth username, or nil when unknown.
    func privateIdentity(authUsername: String) -> PrivateIdentity?
    /// The private identity with this auth username for a request that arrived on `flow`. Credentials
    /// that are bound to one connection (a web session's key, DESIGN.md "Who may connect") are found
    /// only on that connection.
    func privateIdentity(authUsername: String, arrivingOn flow: FlowID) -> PrivateIdentity?
    /// Whether `aor` is a public identity served here (RFC 3261 section 10.3 step 5: else 404).
    func publicIdentityExists(_ aor: AOR) -> Bool
}

extension CredentialDirectory {
    /// Directories without connection-bound credentials find the same identity on every flow.
    public func privateIdentity(authUsername: String, arrivingOn flow: FlowID) -> PrivateIdentity? {
        privateIdentity(authUsername: authUsername)
    }
}
