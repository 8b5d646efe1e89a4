/// The per-SSRC states of one context, searched linearly: a browser sends one SSRC per direction and
/// media, so the first entry is the usual hit and the table stays a handful long.
struct SRTPStreamTable {
    /// At most this many SSRCs; a further one replaces the oldest entries in turn. Entries are only added
    /// for packets we send or that authenticated, so only a keyed peer can cycle them.
    static let capacity = 16

    var streams: [SRTPStreamState] = []
    private var nextReplacement = 0

    init() {
        streams.reserveCapacity(4)
    }

    /// The position of `ssrc`'s state in `streams`.
    func slot(of ssrc: UInt32) -> Int? {
        for slot in streams.indices where streams[slot].ssrc == ssrc { return slot }
        return nil
    }

    mutating func insert(_ state: SRTPStreamState) {
        guard streams.count >= Self.capacity else {
            streams.append(state)
            return
        }
        streams[nextReplacement] = state
        nextReplacement = (nextReplacement + 1) % Self.capacity
    }
}
