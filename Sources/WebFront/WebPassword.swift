import HummingbirdBcrypt
import NIOPosix

/// Web sign-in passwords, kept as bcrypt hashes (DESIGN.md "Who may connect"). Hashing and checking take
/// tens of milliseconds on purpose, so they run on NIO's thread pool, never on an event loop.
public struct WebPassword: Sendable {
    /// bcrypt's cost (2^cost rounds). 10 takes about 60 ms here; tests use the minimum, 4.
    public let cost: UInt8

    public init(cost: UInt8 = 10) {
        self.cost = max(4, min(31, cost))
    }

    /// A hash of nothing anyone knows, at the default cost (the cost `parley user` hashes with), checked
    /// when the user has no hash; made once, on the first unknown user.
    private static let decoyHash = Bcrypt.hash(SecureToken.make(), cost: 10)

    public func hash(_ password: String) -> String {
        Bcrypt.hash(password, cost: cost)
    }

    /// Checks a password against a stored hash; a missing hash is checked against a made-up one, so that an
    /// unknown user costs the same time as a wrong password (no user probing by timing).
    public func verify(_ password: String, against storedHash: String?) async -> Bool {
        let hash = storedHash ?? Self.decoyHash
        let matches = (try? await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash) }) ?? false
        return matches && storedHash != nil
    }
}
