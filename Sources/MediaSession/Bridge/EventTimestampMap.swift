/// Moves RFC 4733 telephone events from one leg's clock onto the other's. An event keeps one timestamp
/// for all its packets (section 2.3): the first packet of an event fixes where it starts on the target
/// stream, later packets with the same source timestamp reuse it.
struct EventTimestampMap {
    private var sourceTimestamp: UInt32?
    private var targetTimestamp: UInt32 = 0

    /// The target timestamp for an event packet, and whether it begins a new event (marker bit).
    mutating func map(sourceTimestamp: UInt32, currentTarget: UInt32) -> (timestamp: UInt32, isNew: Bool) {
        if sourceTimestamp == self.sourceTimestamp { return (targetTimestamp, false) }
        self.sourceTimestamp = sourceTimestamp
        targetTimestamp = currentTarget
        return (currentTarget, true)
    }
}
