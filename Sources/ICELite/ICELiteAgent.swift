import NIOCore
import STUN

/// The ICE lite side (RFC 8445 section 2.5) of one media stream with one component, as Parley uses it towards
/// browsers: it gathers only host candidates, sends no checks, and is always controlled (section 6.1.1). It
/// answers the full agent's Binding requests (section 7.3), remembers which source addresses passed a check,
/// takes the address the full agent nominates as the selected one (section 8.2), and tracks consent freshness
/// from the full agent's checks (RFC 7675).
///
/// The agent is a value with one owner: the media session that owns the socket. Time is an input.
///
/// ICE restart (RFC 8445 section 9): `restart(local:remote:)` installs new credentials and forgets the validated
/// addresses, but keeps the selected address (and its consent clock) so media keeps flowing while the full
/// agent checks again:
/// - until a check with the new credentials succeeds, checks with the old ones are still answered (signed with
///   the old password): the full agent keeps using them on the old pair until it has applied the new
///   description, and an error answer there would make it fail the pair and cut media;
/// - the old selected address stays selected (and so valid) until the full agent nominates with the new
///   credentials, or its consent expires. With regular nomination the first new checks do not nominate; dropping
///   the path at the first of them would cut media for no reason.
public struct ICELiteAgent {
    /// Validated addresses kept; a new one beyond this evicts the least recently validated.
    public static let validatedAddressLimit = 8
    /// RFC 7675 section 5.1: consent expires 30 seconds after the last successful check.
    public static let consentTimeout: TimeAmount = .seconds(30)

    /// Our ufrag and password: requests must be signed with this password.
    public internal(set) var local: ICECredentials
    /// The full agent's, once its description is known; until then the remote half of USERNAME is not checked.
    public internal(set) var remote: ICECredentials?
    /// The address the full agent nominated last: media goes there.
    public internal(set) var selectedAddress: SocketAddress?
    /// When a check from `selectedAddress` last succeeded.
    public internal(set) var lastConsent: NIODeadline?

    /// The credentials before the last restart, accepted until a check with the current ones succeeds.
    var previous: Generation?
    /// Addresses that passed a check with the current credentials, least recently validated first.
    var validated: [SocketAddress] = []

    /// One set of credentials: ours and the peer's.
    struct Generation {
        var local: ICECredentials
        var remote: ICECredentials?
    }

    public init(local: ICECredentials, remote: ICECredentials?) {
        self.local = local
        self.remote = remote
    }

    /// The full agent's credentials, from its description.
    public mutating func setRemote(_ credentials: ICECredentials) {
        remote = credentials
    }

    /// ICE restart (RFC 8445 section 9): new credentials, validated addresses forgotten; the selected address
    /// and the old credentials stay usable for a while, as the type's documentation explains.
    public mutating func restart(local: ICECredentials, remote: ICECredentials?) {
        previous = Generation(local: self.local, remote: self.remote)
        self.local = local
        self.remote = remote
        validated.removeAll()
    }

    /// Whether media from `address` may be accepted: it passed a check with the current credentials (among the
    /// last `validatedAddressLimit` to do so), or it is the selected address. The caller drops other media.
    public func isValidated(_ address: SocketAddress) -> Bool {
        address == selectedAddress || validated.contains(address)
    }

    /// When consent for the selected address runs out if no further check succeeds (RFC 7675 section 5.1);
    /// nil while nothing is selected. A driver schedules its consent timer at this deadline.
    public var consentDeadline: NIODeadline? {
        guard selectedAddress != nil, let lastConsent else { return nil }
        return lastConsent + Self.consentTimeout
    }

    /// RFC 7675 section 5.1: true once 30 seconds have passed since the last successful check from the selected
    /// address; the caller must then stop sending media there. False while nothing is selected.
    public func consentExpired(now: NIODeadline) -> Bool {
        guard let consentDeadline else { return false }
        return now >= consentDeadline
    }

    /// A check from `source` succeeded (with the current credentials if `current`).
    mutating func checkSucceeded(from source: SocketAddress, nominated: Bool, current: Bool, now: NIODeadline) {
        if current {
            // The first success with the new credentials ends a restart's grace for the old ones.
            previous = nil
            remember(source)
            // RFC 8445 sections 7.3.1.5 and 8.2: USE-CANDIDATE on a successful check nominates the pair; for a
            // lite agent the nominated pair is the selected one, and a later nomination replaces it.
            if nominated { selectedAddress = source }
        }
        // RFC 7675 section 5.1: each successful check on the selected pair renews consent.
        if source == selectedAddress { lastConsent = now }
    }

    private mutating func remember(_ address: SocketAddress) {
        if let index = validated.firstIndex(of: address) {
            validated.remove(at: index)
        } else if validated.count >= Self.validatedAddressLimit {
            validated.removeFirst()
        }
        validated.append(address)
    }
}
