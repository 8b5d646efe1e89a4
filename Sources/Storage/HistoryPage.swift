/// Which part of a conversation's history to read: the newest messages, those before a cursor (scrolling
/// back), or those after one (catching up). Cursors are message ids.
public enum HistoryPage: Hashable, Sendable {
    case latest(limit: Int)
    case before(id: Int64, limit: Int)
    case after(id: Int64, limit: Int)

    /// Pages hold 1 to 500 messages.
    public static let maxLimit = 500

    var limit: Int {
        switch self {
        case .latest(let limit), .before(_, let limit), .after(_, let limit): return max(1, min(Self.maxLimit, limit))
        }
    }
}
