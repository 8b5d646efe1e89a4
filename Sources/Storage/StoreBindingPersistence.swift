import Dispatch
import Logging
import SIPServices

/// Writes binding changes to the store off the SIP event loop: changes queue up and a serial queue
/// writes them in one transaction per batch, so a burst of REGISTERs costs one commit.
public final class StoreBindingPersistence: BindingPersistence, @unchecked Sendable {
    private enum Change {
        case save(Binding)
        case remove(Binding)
    }

    private struct Key: Hashable {
        var aor: AOR
        var contact: String
    }

    private let store: ParleyStore
    private let logger: Logger
    private let queue = DispatchQueue(label: "parley.storage.bindings")
    // Guarded by `queue`.
    private var pending: [Change] = []
    private var flushScheduled = false

    public init(store: ParleyStore, logger: Logger) {
        self.store = store
        self.logger = logger
    }

    public func saved(_ bindings: [Binding]) {
        queue.async {
            self.pending += bindings.map(Change.save)
            self.scheduleFlush()
        }
    }

    public func removed(_ bindings: [Binding]) {
        queue.async {
            self.pending += bindings.map(Change.remove)
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
        let changes = pending
        pending = []
        guard !changes.isEmpty else { return }
        // The last change of each (aor, contact) wins: a binding saved then removed in one batch is gone,
        // one removed then saved again stays.
        var last: [Key: Change] = [:]
        for change in changes {
            switch change {
            case .save(let binding), .remove(let binding):
                last[Key(aor: binding.aor, contact: binding.contact.headerValue)] = change
            }
        }
        var saves: [Binding] = []
        var removals: [Binding] = []
        for change in last.values {
            switch change {
            case .save(let binding): saves.append(binding)
            case .remove(let binding): removals.append(binding)
            }
        }
        do {
            if !removals.isEmpty { try store.deleteBindings(removals) }
            if !saves.isEmpty { try store.saveBindings(saves) }
        } catch {
            logger.error("cannot write bindings", metadata: ["error": "\(error)"])
        }
    }
}
