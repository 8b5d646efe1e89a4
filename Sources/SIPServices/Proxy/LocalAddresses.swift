import SIPCore

/// What Parley answers for (RFC 3261 section 16.4: "a value the proxy placed in a Record-Route",
/// section 10.3 step 1: "the domain for which the registrar is responsible"): its domain, and the
/// addresses its listeners are bound to.
public struct LocalAddresses: Sendable {
    public var domain: String
    /// Host names and IP literals (lower case, IPv6 without brackets) of this server.
    public var hosts: Set<String>
    /// Ports the listeners are bound to.
    public var ports: Set<UInt16>

    public init(domain: String, hosts: Set<String>, ports: Set<UInt16>) {
        self.domain = domain.lowercased()
        self.hosts = Set(hosts.map { $0.lowercased() })
        self.ports = ports
    }

    /// The URI names this server's domain (any port), or one of its own host:port pairs.
    public func isLocal(_ uri: SIPURI) -> Bool {
        let host = uri.host.addressText.lowercased()
        if host == domain { return true }
        guard hosts.contains(host) else { return false }
        // RFC 3261 section 19.1.2: no port means the transport's default.
        let port = uri.port ?? (uri.isSecure || uri.transport == "tls" ? 5061 : 5060)
        return ports.contains(port)
    }

    public func isLocalDomain(_ uri: SIPURI) -> Bool {
        uri.host.addressText.lowercased() == domain
    }
}
