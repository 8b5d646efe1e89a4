/// A dialog by its Call-ID and both tags, whichever side sends (RFC 3261 section 12): requests from the
/// callee carry the tags the other way round.
struct MediaDialogKey: Hashable {
    let callID: String
    let lowerTag: String
    let higherTag: String

    init(callID: String, tag: String, otherTag: String) {
        self.callID = callID
        lowerTag = min(tag, otherTag)
        higherTag = max(tag, otherTag)
    }
}
