import SDP

extension SessionDescription {
    /// A description written by Parley: `o=- <id> <version> IN IP4|IP6 <address>`, `s=-`, `t=0 0`
    /// (RFC 8866 sections 5.2-5.9; RFC 3264 section 5: the version grows by one with each change).
    init(parleySessionID sessionID: UInt64, version: UInt64, address: String) {
        let connection = SDPConnection(address: address)
        self.init(
            origin: SDPOrigin(
                sessionID: String(sessionID), sessionVersion: String(version), addressType: connection.addressType,
                address: address))
    }

    /// Whether a BUNDLE group (RFC 9143) lists this mid.
    func isBundled(mid: String) -> Bool {
        groups.contains { $0.isBundle && $0.mids.contains(mid) }
    }
}
