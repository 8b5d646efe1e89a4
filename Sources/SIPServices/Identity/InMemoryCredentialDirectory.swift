/// A `CredentialDirectory` held in memory (tests and small fixed setups).
public struct InMemoryCredentialDirectory: CredentialDirectory, Hashable, Sendable {
    public private(set) var identities: [String: PrivateIdentity]
    public private(set) var publicIdentities: Set<AOR>

    public init(_ identities: [PrivateIdentity] = [], publicIdentities: Set<AOR> = []) {
        self.identities = [:]
        self.publicIdentities = publicIdentities
        for identity in identities { add(identity) }
    }

    /// Adds (or replaces) a private identity; its AOR becomes a known public identity.
    public mutating func add(_ identity: PrivateIdentity) {
        identities[identity.authUsername] = identity
        publicIdentities.insert(identity.aor)
    }

    public mutating func addPublicIdentity(_ aor: AOR) {
        publicIdentities.insert(aor)
    }

    public mutating func remove(authUsername: String) {
        identities[authUsername] = nil
    }

    public func privateIdentity(authUsername: String) -> PrivateIdentity? {
        identities[authUsername]
    }

    public func publicIdentityExists(_ aor: AOR) -> Bool {
        publicIdentities.contains(aor)
    }
}
