import NIOCore
import SIPCore
import SIPServices
import SIPTransactions

/// One request Parley proxies: the response context over its branches, where each branch went, its timers.
struct ProxiedRequest {
    var context: ResponseContext<ClientTransactionID>
    /// Where each branch went, so that its CANCEL follows the same path (RFC 3261 section 9.1).
    var destinations: [ClientTransactionID: SIPDestination] = [:]
    /// Timer C (RFC 3261 section 16.6 step 11) for a proxied INVITE: restarted by every provisional but 100 (section 16.7 step 2).
    var timerC: NIODeadline?
    /// Set when CANCELs went out: branches still open then are ended (RFC 3261 section 9.1, 64*T1).
    var cancelDeadline: NIODeadline?
}
