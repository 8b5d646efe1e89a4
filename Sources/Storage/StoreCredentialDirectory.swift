import Foundation
import SIPServices

/// The credential directory of the SIP runtime, read from the store with a short cache: a digest check
/// costs a dictionary lookup, and `parley user` changes made by another process show within a second.
public final class StoreCredentialDirectory: CredentialDirectory, @unchecked Sendable {
    private let store: ParleyStore
    private let domain: String
    private let lifetime: TimeInterval
    private let lock = NSLock()
    private var identities: [String: (identity: PrivateIdentity?, loaded: Date)] = [:]
    private var users: [String: (exists: Bool, loaded: Date)] = [:]

    public init(store: ParleyStore, domain: String, cacheLifetime: TimeInterval = 1) {
        self.store = store
        self.domain = domain
        self.lifetime = cacheLifetime
    }

    public func privateIdentity(authUsername: String) -> PrivateIdentity? {
        let now = Date()
        lock.lock()
        let cached = identities[authUsername]
        lock.unlock()
        if let cached, now.timeIntervalSince(cached.loaded) < lifetime { return cached.identity }
        let identity = try? store.privateIdentity(authUsername: authUsername, domain: domain)
        lock.lock()
        // Bounded: a flood of made-up names must not grow the cache without limit.
        if identities.count > 100_000 { identities.removeAll(keepingCapacity: true) }
        identities[authUsername] = (identity, now)
        lock.unlock()
        return identity
    }

    public func publicIdentityExists(_ aor: AOR) -> Bool {
        guard aor.domain == domain else { return false }
        let now = Date()
        lock.lock()
        let cached = users[aor.user]
        lock.unlock()
        if let cached, now.timeIntervalSince(cached.loaded) < lifetime { return cached.exists }
        let exists = (try? store.userExists(name: aor.user)) ?? false
        lock.lock()
        if users.count > 100_000 { users.removeAll(keepingCapacity: true) }
        users[aor.user] = (exists, now)
        lock.unlock()
        return exists
    }
}
