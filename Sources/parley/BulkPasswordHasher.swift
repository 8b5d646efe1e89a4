import Foundation
import WebFront

/// bcrypt for many passwords at once (`parley user import`), on every core: each hash takes tens of
/// milliseconds on purpose, so a thousand users take seconds instead of a minute.
enum BulkPasswordHasher {
    /// Collects results from the concurrent workers, each writing its own index.
    private final class Results: @unchecked Sendable {
        private let lock = NSLock()
        private var hashes: [String]

        init(count: Int) { hashes = Array(repeating: "", count: count) }

        func set(_ hash: String, at index: Int) {
            lock.withLock { hashes[index] = hash }
        }

        var all: [String] { lock.withLock { hashes } }
    }

    static func hash(_ passwords: [String]) -> [String] {
        let hasher = WebPassword()
        let results = Results(count: passwords.count)
        DispatchQueue.concurrentPerform(iterations: passwords.count) { index in
            results.set(hasher.hash(passwords[index]), at: index)
        }
        return results.all
    }
}
