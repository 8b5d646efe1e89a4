import Dispatch
import Logging
import SIPServices

/// The message archive on the store, off the SIP event loop. Appends queue up on one serial queue and
/// are written in one transaction per batch (group commit): a burst of room messages costs one commit,
/// and each completion runs only after the commit that made its message durable.
public final class StoreMessageArchive: MessageArchive, @unchecked Sendable {
    private typealias AppendCompletion = @Sendable (Result<StoredChatMessage, ArchiveError>) -> Void

    private let store: ParleyStore
    private let directory: StoreCredentialDirectory
    private let logger: Logger
    private let queue = DispatchQueue(label: "parley.storage.messages")
    /// At most this many messages per transaction, so one commit never holds the others for long.
    private let maxBatch = 256
    // Guarded by `queue`.
    private var pendingAppends: [(ChatMessageDraft, AppendCompletion)] = []
    private var flushScheduled = false
    private var deliveredMarks: [(messageID: Int64, user: String)] = []
    private var marksFlushScheduled = false

    public init(store: ParleyStore, directory: StoreCredentialDirectory, logger: Logger) {
        self.store = store
        self.directory = directory
        self.logger = logger
    }

    public func append(
        _ draft: ChatMessageDraft, completion: @escaping @Sendable (Result<StoredChatMessage, ArchiveError>) -> Void
    ) {
        queue.async {
            self.pendingAppends.append((draft, completion))
            guard !self.flushScheduled else { return }
            self.flushScheduled = true
            // Behind the appends already queued: they join this batch.
            self.queue.async { self.flushAppends() }
        }
    }

    private func flushAppends() {
        flushScheduled = false
        while !pendingAppends.isEmpty {
            let batch = pendingAppends.prefix(maxBatch)
            pendingAppends.removeFirst(batch.count)
            do {
                let stored = try store.appendMessages(batch.map(\.0))
                for (message, (_, completion)) in zip(stored, batch) { completion(.success(message)) }
            } catch {
                logger.error("cannot store messages", metadata: ["error": "\(error)", "count": "\(batch.count)"])
                for (_, completion) in batch { completion(.failure(ArchiveError("\(error)"))) }
            }
        }
    }

    public func pendingMessages(
        for user: String, limit: Int,
        completion: @escaping @Sendable (Result<[StoredChatMessage], ArchiveError>) -> Void
    ) {
        queue.async {
            do {
                completion(.success(try self.store.pendingMessages(for: user, limit: limit)))
            } catch {
                completion(.failure(ArchiveError("\(error)")))
            }
        }
    }

    /// Marks are written in batches like appends: every delivered private message would otherwise cost a
    /// transaction of its own.
    public func delivered(messageID: Int64, to user: String) {
        queue.async {
            self.deliveredMarks.append((messageID, user))
            guard !self.marksFlushScheduled else { return }
            self.marksFlushScheduled = true
            self.queue.async {
                self.marksFlushScheduled = false
                let marks = self.deliveredMarks
                self.deliveredMarks = []
                do {
                    try self.store.markDelivered(marks)
                } catch {
                    self.logger.error("cannot mark messages delivered", metadata: ["error": "\(error)"])
                }
            }
        }
    }

    public func setMembership(
        room: String, user: String, isMember: Bool,
        completion: @escaping @Sendable (Result<Void, ArchiveError>) -> Void
    ) {
        queue.async {
            do {
                if isMember {
                    try self.store.addMember(room: room, user: user)
                } else {
                    try self.store.removeMember(room: room, user: user)
                }
                // The runtime reads members from the directory: it must show the change before the answer.
                try self.directory.reloadIfChanged()
                completion(.success(()))
            } catch StorageError.notAMember {
                completion(.success(()))
            } catch {
                completion(.failure(ArchiveError("\(error)")))
            }
        }
    }
}
