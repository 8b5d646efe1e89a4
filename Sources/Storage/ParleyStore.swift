import Foundation
import GRDB

/// The embedded SQLite store (GRDB, WAL mode): users with their private identities, and the
/// registrar's persistent bindings. One store per data directory; the server and the `parley user`
/// commands open the same file, so SQLite's own locking keeps them consistent.
public final class ParleyStore: Sendable {
    public static let fileName = "parley.sqlite"

    let database: DatabasePool

    /// Opens (creating if needed) `parley.sqlite` in `dataDirectory` and brings its schema up to date.
    public init(dataDirectory: String) throws(StorageError) {
        do {
            try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
        } catch {
            throw StorageError.cannotOpen(path: dataDirectory, reason: "cannot create the data directory: \(error)")
        }
        let path = (dataDirectory as NSString).appendingPathComponent(Self.fileName)
        var configuration = Configuration()
        // A `parley user add` running beside the server waits for the write lock instead of failing.
        configuration.busyMode = .timeout(5)
        do {
            database = try DatabasePool(path: path, configuration: configuration)
            try StoreMigrations.migrator.migrate(database)
        } catch {
            throw StorageError.cannotOpen(path: path, reason: "\(error)")
        }
    }

    func write<T>(_ body: (Database) throws -> T) throws(StorageError) -> T {
        do {
            return try database.write(body)
        } catch let error as StorageError {
            throw error
        } catch {
            throw StorageError.database("\(error)")
        }
    }

    func read<T>(_ body: (Database) throws -> T) throws(StorageError) -> T {
        do {
            return try database.read(body)
        } catch let error as StorageError {
            throw error
        } catch {
            throw StorageError.database("\(error)")
        }
    }
}
