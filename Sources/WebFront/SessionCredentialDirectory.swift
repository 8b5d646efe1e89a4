import SIPCore
import SIPRuntime
import SIPServices

/// The SIP runtime's credential directory: device accounts from the store, and web sessions' keys, the
/// latter only on the WebSocket their session opened.
public struct SessionCredentialDirectory: CredentialDirectory, Sendable {
    let devices: any CredentialDirectory & Sendable
    let sessions: WebSessionRegistry
    let clock: @Sendable () -> UnixTime

    public init(
        devices: any CredentialDirectory & Sendable, sessions: WebSessionRegistry,
        clock: @escaping @Sendable () -> UnixTime = { UnixTime.now() }
    ) {
        self.devices = devices
        self.sessions = sessions
        self.clock = clock
    }

    /// Without a flow, only device accounts: session keys are never valid off their WebSocket.
    public func privateIdentity(authUsername: String) -> PrivateIdentity? {
        devices.privateIdentity(authUsername: authUsername)
    }

    public func privateIdentity(authUsername: String, arrivingOn flow: FlowID) -> PrivateIdentity? {
        if WebSIPCredentials.sessionID(inAuthUsername: authUsername) != nil {
            return sessions.identity(authUsername: authUsername, arrivingOn: flow, now: clock())
        }
        return devices.privateIdentity(authUsername: authUsername)
    }

    public func publicIdentityExists(_ aor: AOR) -> Bool {
        devices.publicIdentityExists(aor)
    }
}
