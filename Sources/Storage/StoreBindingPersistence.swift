import Dispatch
import Logging
import SIPServices

/// Writes binding changes to the store off the SIP event loop: changes queue up and a serial queue
/// writes them in one transaction per batch, so a burst of REGISTERs costs one commit.
public final class StoreBindingPersistence: BindingPersistence, @unchecked Sendable {
    private let store: ParleyStore
    private let logger: Logger
    private let queue = DispatchQueue(label: "parley.storage.bindings")
    // Guarded by `queue`.
    private var pendingSaves: [Binding] = []
    private var pendingRemovals: [Binding] = []
    private var flushScheduled = false

    public init(store: ParleyStore, logger: Logger) {
        self.store = store
        self.logger = logger
    }

    public func saved(_ bindings: [Binding]) {
        queue.async {
            self.pendingSaves += bindings
            self.scheduleFlush()
        }
    }

    public func removed(_ bindings: [Binding]) {
        queue.async {
            self.pendingRemovals += bindings
            self.scheduleFlush()
        }
    }

    /// Writes whatever is pending now; returns when it is on disk.
    public func flush() {
        queue.sync { self.writePending() }
    }

    private func scheduleFlush() {
        guard !flushScheduled else { return }
        flushScheduled = true
        queue.asyncAfter(deadline: .now() + .milliseconds(50)) { self.writePending() }
    }

    private func writePending() {
        flushScheduled = false
        let saves = pendingSaves
        let removals = pendingRemovals
        pendingSaves = []
        pendingRemovals = []
        do {
            // Order matters for one contact saved then removed in the same batch: removals of contacts
            // re-saved later in the batch must not win, so save after removing.
            if !removals.isEmpty { try store.deleteBindings(removals) }
            if !saves.isEmpty { try store.saveBindings(saves.filter { saved in !removals.contains { $0 == saved } }) }
        } catch {
            logger.error("cannot write bindings", metadata: ["error": "\(error)"])
        }
    }
}
