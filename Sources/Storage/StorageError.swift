/// What the store refuses, phrased for the one line the command line prints.
public enum StorageError: Error, Hashable, Sendable, CustomStringConvertible {
    case cannotOpen(path: String, reason: String)
    case userExists(String)
    case userNotFound(String)
    case authUsernameTaken(String)
    case invalidName(String, reason: String)
    case roomExists(String)
    case roomNotFound(String)
    /// Users and rooms share `sip:NAME@domain`: one name cannot be both.
    case nameTaken(String)
    case notAMember(room: String, user: String)
    case database(String)

    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason): return "cannot open the store at \(path): \(reason)"
        case .userExists(let name): return "user '\(name)' already exists"
        case .userNotFound(let name): return "no user '\(name)'"
        case .authUsernameTaken(let name): return "the account name '\(name)' is already in use"
        case .invalidName(let name, let reason): return "invalid name '\(name)': \(reason)"
        case .roomExists(let name): return "room '\(name)' already exists"
        case .roomNotFound(let name): return "no room '\(name)'"
        case .nameTaken(let name): return "'\(name)' is already the name of a user or a room"
        case .notAMember(let room, let user): return "'\(user)' is not a member of room '\(room)'"
        case .database(let reason): return "database error: \(reason)"
        }
    }
}
