import SIPServices

/// A call Parley saw answered: the local users in it are "on the phone" until its BYE passes (or, if none
/// ever does, until it is too old to be believed).
struct ActiveCall {
    var parties: [AOR]
    var startedAt: UnixTime
}
