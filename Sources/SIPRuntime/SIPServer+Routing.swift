import NIOCore
import SIPCore
import SIPServices
import SIPTransport

/// Where requests go and what Parley writes about itself in them: binding targets, URI resolution,
/// Via and Record-Route (RFC 3261 sections 16.6, 18.1.1; RFC 5658; RFC 3327).
extension SIPServer {
    func target(for binding: Binding) -> ForwardTarget? {
        let restored = binding.source.flow == .restored
        let destination: SIPDestination
        if let edge = binding.path.first {
            // RFC 3327 section 5.3: through the edge proxy the REGISTER came from.
            guard !restored else {
                guard let uri = edge.uri.sipURI, let byAddress = self.destination(for: uri) else { return nil }
                return ForwardTarget(requestURI: binding.contact.uri, destination: byAddress, routePrefix: binding.path)
            }
            destination = .flow(binding.source)
        } else if binding.source.transport == .udp {
            destination = udpTarget(for: binding)
        } else if restored {
            // Restored after a restart: the connection is gone; reach the contact by its address.
            guard let uri = binding.contact.uri.sipURI, let byAddress = self.destination(for: uri) else { return nil }
            destination = byAddress
        } else {
            destination = .flow(binding.source)
        }
        return ForwardTarget(requestURI: binding.contact.uri, destination: destination, routePrefix: binding.path)
    }

    /// Where a UDP binding is reached. RFC 3261 section 10 binds the Contact; behind a NAT the Contact holds
    /// a private address nobody can reach, so then (and for RFC 5626 outbound bindings) the flow the
    /// REGISTER came on is used: its socket and source address, as RFC 3581 does for responses.
    func udpTarget(for binding: Binding) -> SIPDestination {
        let sourceFlow: SIPDestination =
            binding.source.flow == .restored ? .address(.udp, binding.source.remote) : .flow(binding.source)
        guard !binding.usesOutbound, let uri = binding.contact.uri.sipURI,
            case .address(.udp, let contact)? = destination(for: uri)
        else { return sourceFlow }
        if contact.host != binding.source.remote.host, PrivateAddress.isPrivate(contact.host) {
            return sourceFlow
        }
        return .address(.udp, contact)
    }

    /// Where a SIP URI points (RFC 3263 without DNS: IP literals and localhost only).
    func destination(for uri: SIPURI) -> SIPDestination? {
        let transport = uri.transport.flatMap(SIPTransportKind.init(token:)) ?? (uri.isSecure ? .tls : .udp)
        let host: String
        switch uri.host {
        case .ipv4(let address), .ipv6(let address): host = address
        case .hostname(let name) where name.lowercased() == "localhost": host = "127.0.0.1"
        case .hostname: return nil
        }
        let port = uri.port ?? (transport == .tls || transport == .wss ? 5061 : 5060)
        return .address(transport, SIPPeerAddress(host: host, port: port))
    }

    /// Section 16.6: the copy of the request for one target, with our Via and, for dialog-creating
    /// requests, a double Record-Route (RFC 5658): one entry per side, each with a flow token for that
    /// side, the one facing the target on top. The caller's credentials for our realm stay here
    /// (section 22.3: they are consumed by the proxy that asked for them).
    func forwardedRequest(
        _ request: SIPRequest, to target: ForwardTarget, source: SIPSource, loopHash: String
    ) -> SIPRequest? {
        let outTransport = target.destination.transport
        guard let outListener = listener(for: outTransport, toward: target.destination),
            let callID = (try? request.headers.callID) ?? nil
        else { return nil }
        var recordRoute: [NameAddress] = []
        if Self.recordRouteMethods.contains(request.method),
            let inListener = listener(for: source.transport, toward: .flow(source))
        {
            let outSide: SIPSource
            switch target.destination {
            case .flow(let outSource):
                outSide = outSource
            case .address(.udp, let address):
                outSide = SIPSource(transport: .udp, remote: address, flow: outListener.flow)
            case .address(let transport, let address):
                outSide = SIPSource(transport: transport, remote: address, flow: .restored)
            }
            recordRoute = [
                routeEntry(outListener, transport: outTransport, token: flowTokens.encode(outSide, callID: callID)),
                routeEntry(inListener, transport: source.transport, token: flowTokens.encode(source, callID: callID)),
            ]
        }
        var viaParameters = [GenericParameter(name: "branch", value: nextBranch(loopHash: loopHash).value)]
        if outTransport == .udp { viaParameters.append(GenericParameter(name: "rport")) }
        let via = Via(
            transport: outTransport.rawValue, host: advertisedHost(outListener), port: outListener.address.port,
            parameters: viaParameters)
        guard
            var forwarded = try? ProxyForwarding.forward(
                request, requestURI: target.requestURI, via: via, recordRoute: recordRoute,
                routePrefix: target.routePrefix)
        else { return nil }
        ProxyForwarding.removeCredentials(forRealm: configuration.domain, from: &forwarded)
        return forwarded
    }

    /// The listener of the destination's transport and address family (an IPv6 peer sees our IPv6 address).
    func listener(for transport: SIPTransportKind, toward destination: SIPDestination) -> SIPListener? {
        let ipv6: Bool
        switch destination {
        case .flow(let source): ipv6 = source.remote.isIPv6
        case .address(_, let address): ipv6 = address.isIPv6
        }
        return hub.listener(for: transport, ipv6: ipv6)
    }

    /// The host to put in our Via and Record-Route: the listener's address, or the domain when bound to
    /// every interface.
    func advertisedHost(_ listener: SIPListener) -> SIPHost {
        let host = listener.address.host
        if host == "0.0.0.0" || host == "::" { return .hostname(configuration.domain) }
        return listener.address.isIPv6 ? .ipv6(host) : .ipv4(host)
    }

    func routeEntry(_ listener: SIPListener, transport: SIPTransportKind, token: String?) -> NameAddress {
        var parameters = [GenericParameter(name: "lr")]
        if transport != .udp {
            parameters.insert(GenericParameter(name: "transport", value: transport.uriParameter), at: 0)
        }
        let uri = SIPURI(
            user: token, host: advertisedHost(listener), port: listener.address.port, parameters: parameters)
        return NameAddress(uri: .sip(uri))
    }
}
