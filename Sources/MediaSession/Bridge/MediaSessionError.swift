/// A session that cannot be set up as asked.
public enum MediaSessionError: Error, Sendable, Equatable {
    case codecUnavailable(String)
}
