import NIOCore
import SIPCore
import SIPServices
import SIPTransactions

/// One request Parley proxies: what arrived, where from, and the response context over its branches.
struct ProxiedRequest {
    var request: SIPRequest
    var source: SIPSource
    var context: ResponseContext<ClientTransactionID>
    /// Where each branch went, so that its CANCEL follows the same path (RFC 3261 section 9.1).
    var destinations: [ClientTransactionID: SIPDestination] = [:]
    /// Timer C (RFC 3261 section 16.6 step 11) for a proxied INVITE: restarted by every provisional.
    var timerC: NIODeadline?
    /// Set when CANCELs went out: branches still open then are ended (RFC 3261 section 9.1, 64*T1).
    var cancelDeadline: NIODeadline?
}
