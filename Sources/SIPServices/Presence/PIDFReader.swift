/// Reduces a PIDF document's events (from `XMLScanner`) to a `PresenceStatus`. Elements are matched by
/// local name, whatever prefix a client binds; only the root's namespace is checked.
struct PIDFReader {
    /// Notes are cut to this many characters: a note is one line of status text, not a message.
    static let maxNoteLength = 200

    // RFC 4480 section 3.2 activities other clients publish, folded into the nearest manual status (the same
    // lists as the web client's `WebClient/js/sip/pidf.js`).
    static let busyActivities: Set<String> = ["busy", "appointment", "meeting", "performance", "presentation"]
    static let awayActivities: Set<String> = [
        "away", "breakfast", "dinner", "meal", "holiday", "vacation", "sleeping", "travel", "in-transit",
        "permanent-absence", "steering", "shopping",
    ]
    /// rpid:other texts that mean do-not-disturb (Parley writes the first), compared lower-cased.
    static let doNotDisturbWords: Set<String> = ["do-not-disturb", "dnd", "do not disturb"]

    private enum Capture {
        case basic
        case other
        case personNote
        case tupleNote
        case presenceNote
    }

    /// Local names of the open elements, the root first.
    private var path: [String] = []
    /// The element whose text is being collected, and the path length at which it started.
    private var capture: (kind: Capture, depth: Int)?
    private var capturedText = ""

    private var isOpen = false
    private var activities: [String] = []
    private var isDoNotDisturb = false
    private var personNote: String?
    private var tupleNote: String?
    private var presenceNote: String?

    mutating func consume(_ event: XMLEvent) throws(PIDFError) {
        switch event {
        case .start(let name, let attributes):
            let local = Self.localName(name)
            if path.isEmpty { try Self.checkRoot(name: name, attributes: attributes) }
            let parent = path.last
            // RFC 4480 section 3.2: each child of rpid:activities is one activity; a note there is about them.
            if parent == "activities", local != "note" {
                activities.append(local)
                if local == "other" { begin(.other) }
            }
            // RFC 3863 section 4.1.4: tuple/status/basic.
            if local == "basic", parent == "status", path.count >= 2, path[path.count - 2] == "tuple" { begin(.basic) }
            if local == "note" {
                switch (parent, path.count) {
                case ("person"?, _): begin(.personNote)  // RFC 4479 section 3.3
                case ("tuple"?, 2): begin(.tupleNote)  // RFC 3863 section 4.1.6
                case ("presence"?, 1): begin(.presenceNote)  // RFC 3863 section 4.1.6, about the presentity
                default: break
                }
            }
            path.append(local)
        case .end:
            path.removeLast()
            if let capture, capture.depth == path.count {
                finish(capture.kind, text: Self.trimmed(capturedText))
                self.capture = nil
            }
        case .text(let text):
            // The scanner caps the document, so the collected text is bounded too.
            if capture != nil { capturedText += text }
        }
    }

    /// RFC 3863 section 4.1.1: the root is `presence` in the PIDF namespace, as default or under a prefix.
    static func checkRoot(name: String, attributes: [XMLAttribute]) throws(PIDFError) {
        guard localName(name) == "presence" else { throw .notPIDF }
        let declaration = namespacePrefix(name).map { "xmlns:" + $0 } ?? "xmlns"
        guard attributes.first(where: { $0.name == declaration })?.value == PIDFDocument.namespace else {
            throw .notPIDF
        }
    }

    /// What the document says. Priority: do-not-disturb, busy, away, available. A closed document with no
    /// activity is away: a device that publishes "closed" (baresip's offline setting) is not available.
    var status: PresenceStatus {
        var manual = ManualStatus.available
        if isDoNotDisturb {
            manual = .doNotDisturb
        } else if activities.contains(where: { Self.busyActivities.contains($0) }) {
            manual = .busy
        } else if activities.contains(where: { Self.awayActivities.contains($0) }) {
            manual = .away
        } else if !isOpen {
            manual = .away
        }
        // The person's note first (RFC 4479: it is about the person), then a tuple's, then the document's.
        let note = (personNote ?? tupleNote ?? presenceNote).map { String($0.prefix(Self.maxNoteLength)) }
        return PresenceStatus(
            isOpen: isOpen, manual: manual, onThePhone: activities.contains("on-the-phone"), note: note)
    }

    private mutating func begin(_ kind: Capture) {
        // Text of nested elements belongs to the outer capture (text content), so one at a time.
        guard capture == nil else { return }
        capture = (kind, path.count)
        capturedText = ""
    }

    private mutating func finish(_ kind: Capture, text: String) {
        switch kind {
        case .basic:
            // RFC 3863 section 4.1.4: open in any tuple makes the presentity reachable.
            if text.lowercased() == "open" { isOpen = true }
        case .other:
            if Self.doNotDisturbWords.contains(text.lowercased()) { isDoNotDisturb = true }
        case .personNote:
            if personNote == nil, !text.isEmpty { personNote = text }
        case .tupleNote:
            if tupleNote == nil, !text.isEmpty { tupleNote = text }
        case .presenceNote:
            if presenceNote == nil, !text.isEmpty { presenceNote = text }
        }
    }

    /// `person` of `dm:person`.
    static func localName(_ name: String) -> String {
        guard let colon = name.lastIndex(of: ":") else { return name }
        return String(name[name.index(after: colon)...])
    }

    /// `dm` of `dm:person`; nil without a prefix.
    static func namespacePrefix(_ name: String) -> String? {
        guard let colon = name.lastIndex(of: ":") else { return nil }
        return String(name[..<colon])
    }

    /// Without leading and trailing white space (line ends included).
    static func trimmed(_ text: String) -> String {
        var slice = Substring(text)
        while let first = slice.first, first.isWhitespace { slice.removeFirst() }
        while let last = slice.last, last.isWhitespace { slice.removeLast() }
        return String(slice)
    }
}
