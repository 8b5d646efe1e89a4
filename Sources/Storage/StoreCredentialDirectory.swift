import Dispatch
import Foundation
import NIOConcurrencyHelpers
import SIPServices

/// The credential and chat directory of the SIP runtime: every user, private identity, room and member held
/// in memory (a few hundred bytes each), so a digest check or a target lookup is a dictionary read and never touches
/// SQLite on the event loop. A background queue checks the store's directory generation once a second
/// and reloads when `parley user` (in any process) changed something.
// @unchecked: `timer` is only touched in init and deinit; the snapshot is behind its lock.
public final class StoreCredentialDirectory: CredentialDirectory, ChatDirectory, @unchecked Sendable {
    private struct Snapshot {
        var generation: Int64 = -1
        var identities: [String: PrivateIdentity] = [:]
        var users: Set<String> = []
        var rooms: [String: ChatRoom] = [:]
        var roomsOfUser: [String: [ChatRoom]] = [:]
        var displayNames: [String: String] = [:]
    }

    private let store: ParleyStore
    private let domain: String
    private let snapshot = NIOLockedValueBox(Snapshot())
    /// Reloads come from the timer, the message archive and the web API: one at a time, so that an older
    /// load never replaces a newer one.
    private let reloading = NIOLock()
    private let queue = DispatchQueue(label: "parley.storage.directory")
    private let timer: any DispatchSourceTimer

    /// Loads the directory now (so the server starts with it), then watches for changes.
    public init(
        store: ParleyStore, domain: String, refreshInterval: DispatchTimeInterval = .seconds(1)
    ) throws(StorageError) {
        self.store = store
        self.domain = domain.lowercased()
        self.timer = DispatchSource.makeTimerSource(queue: queue)
        try reload(generation: try store.directoryGeneration())
        timer.schedule(deadline: .now() + refreshInterval, repeating: refreshInterval)
        timer.setEventHandler { [weak self] in try? self?.reloadIfChanged() }
        timer.resume()
    }

    deinit {
        timer.cancel()
    }

    public func privateIdentity(authUsername: String) -> PrivateIdentity? {
        snapshot.withLockedValue { $0.identities[authUsername] }
    }

    public func publicIdentityExists(_ aor: AOR) -> Bool {
        guard aor.domain == domain else { return false }
        return snapshot.withLockedValue { $0.users.contains(aor.user) }
    }

    public func room(_ aor: AOR) -> ChatRoom? {
        guard aor.domain == domain else { return nil }
        return snapshot.withLockedValue { $0.rooms[aor.user] }
    }

    public func rooms(of user: String) -> [ChatRoom] {
        snapshot.withLockedValue { $0.roomsOfUser[user] ?? [] }
    }

    public func displayName(ofUser user: String) -> String? {
        snapshot.withLockedValue { $0.displayNames[user] }
    }

    /// Re-reads the store when its generation moved; call after changing users in this process to see
    /// the change at once.
    public func reloadIfChanged() throws(StorageError) {
        reloading.lock()
        defer { reloading.unlock() }
        let generation = try store.directoryGeneration()
        guard generation != snapshot.withLockedValue({ $0.generation }) else { return }
        try reload(generation: generation)
    }

    public var generation: Int64 { snapshot.withLockedValue { $0.generation } }

    /// `generation` is read before the load: a change racing with it is seen again on the next check.
    private func reload(generation: Int64) throws(StorageError) {
        let (identities, users) = try store.loadDirectory(domain: domain)
        let (rooms, displayNames) = try store.loadChatDirectory()
        var fresh = Snapshot(generation: generation)
        for identity in identities { fresh.identities[identity.authUsername] = identity }
        fresh.users = Set(users)
        for room in rooms.sorted(by: { $0.name < $1.name }) {
            fresh.rooms[room.name] = room
            for member in room.members { fresh.roomsOfUser[member, default: []].append(room) }
        }
        fresh.displayNames = displayNames
        snapshot.withLockedValue { $0 = fresh }
    }
}
