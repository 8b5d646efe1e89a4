import Logging
import SIPCore
import SIPServices
import Storage

/// Keeps the session registry in step with the store and the clock: once a second it notices user changes
/// made by `parley user` in another process (a removed user or a new password ends their sessions), and once a
/// minute it ends expired sessions. The ended sessions' WebSockets are closed.
public struct WebSessionMaintenance: Sendable {
    let sessions: WebSessionRegistry
    let store: ParleyStore
    let clock: @Sendable () -> UnixTime
    let closeFlows: @Sendable ([FlowID]) -> Void
    let logger: Logger

    public init(
        sessions: WebSessionRegistry, store: ParleyStore, clock: @escaping @Sendable () -> UnixTime,
        logger: Logger, closeFlows: @escaping @Sendable ([FlowID]) -> Void
    ) {
        self.sessions = sessions
        self.store = store
        self.clock = clock
        self.closeFlows = closeFlows
        self.logger = logger
    }

    /// Runs until cancelled.
    public func run() async {
        var generation = try? store.directoryGeneration()
        var lastExpiry = clock()
        while true {
            do { try await Task.sleep(for: .seconds(1)) } catch { return }
            do {
                let current = try store.directoryGeneration()
                if current != generation {
                    generation = current
                    close(try sessions.reconcile(now: clock()))
                }
                if clock().milliseconds - lastExpiry.milliseconds >= 60_000 {
                    lastExpiry = clock()
                    close(try sessions.expire(now: lastExpiry))
                }
            } catch {
                logger.error("cannot maintain web sessions", metadata: ["error": "\(error)"])
            }
        }
    }

    private func close(_ flows: [FlowID]) {
        if !flows.isEmpty { closeFlows(flows) }
    }
}
