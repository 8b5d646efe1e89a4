import SIPCore

/// One place a proxied request goes: the Request-URI to put in it, where to send it, and the Route
/// entries to pre-load (a binding's Path, RFC 3327).
struct ForwardTarget {
    var requestURI: URI?
    var destination: SIPDestination
    var routePrefix: [NameAddress] = []
}
