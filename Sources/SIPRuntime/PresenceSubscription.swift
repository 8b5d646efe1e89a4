import SIPCore
import SIPServices

/// A presence subscription Parley serves as notifier (RFC 6665 section 4.2, RFC 3856): the dialog it made,
/// what is watched, and what the watcher was last told, so that a NOTIFY carries only news and one NOTIFY
/// at a time is in flight.
struct PresenceSubscription {
    enum Resource: Hashable {
        /// One user (RFC 3856).
        case user(AOR)
        /// The owner's buddies, members of the owner's rooms, as one resource list (RFC 4662).
        case buddyList(owner: AOR)

        var isList: Bool {
            if case .buddyList = self { return true }
            return false
        }
    }

    var resource: Resource
    var subscriber: AOR
    /// The Event header's `id` parameter, echoed in every NOTIFY (RFC 6665 section 8.2.1).
    var eventID: String?
    var callID: String
    /// Our side of the dialog: the SUBSCRIBE's To, with our tag.
    var local: NameAddress
    /// The watcher's side: the SUBSCRIBE's From, with its tag.
    var remote: NameAddress
    /// The watcher's Contact (RFC 6665 section 4.1.2.1: NOTIFY goes there).
    var remoteTarget: URI
    /// The SUBSCRIBE's Record-Route, in order (RFC 3261 section 12.1.1).
    var routeSet: [NameAddress]
    /// The connection or address the SUBSCRIBE came from: NOTIFYs go back over it.
    var source: SIPSource
    /// Our Contact (from the 200), in every NOTIFY: NOTIFY is a target refresh (RFC 6665 section 4.4.1).
    var localContact: String
    var localCSeq: UInt32 = 0
    /// The watcher's last CSeq: refreshes must go up (RFC 3261 section 12.2.2).
    var remoteCSeq: UInt32
    var expiresAt: UnixTime
    var notifyInFlight = false
    /// Something changed while a NOTIFY was out: another follows its answer.
    var needsNotify = false
    /// Set when the next NOTIFY is the last (RFC 6665 section 4.2.2: terminated with this reason).
    var terminationReason: String?
    /// What the watcher was last told, by resource.
    var sent: [AOR: PresenceStatus] = [:]
    /// RLMI version (RFC 4662 section 5.2): one more with every list NOTIFY.
    var listVersion = 0
    /// The next list NOTIFY carries the full state (the first one, and the answer to a refresh).
    var fullStatePending = true
}
