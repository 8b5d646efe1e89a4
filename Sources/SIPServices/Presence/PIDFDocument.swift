/// PIDF (RFC 3863) with the data model's person (RFC 4479) and RPID activities (RFC 4480): the document
/// Parley sends in a NOTIFY and reads from a PUBLISH.
public enum PIDFDocument {
    public static let mediaType = "application/pidf+xml"
    /// The largest document read; a presence document is a few hundred bytes.
    public static let maxBytes = 65_536

    static let namespace = "urn:ietf:params:xml:ns:pidf"
    static let dataModelNamespace = "urn:ietf:params:xml:ns:pidf:data-model"
    static let rpidNamespace = "urn:ietf:params:xml:ns:pidf:rpid"

    /// The document Parley notifies. The spelling is fixed, not just the meaning: baresip reads NOTIFY bodies
    /// with regular expressions for an unprefixed `<basic>open</basic>` and the literal `<rpid:away/>`,
    /// `<rpid:busy/>` and `<rpid:on-the-phone/>`, so those elements are written exactly so. One tuple and one
    /// person, with fixed ids: Parley publishes the composed presence of the user, not of devices.
    public static func make(entity: String, status: PresenceStatus) -> String {
        let note = status.note.map(XMLText.escaped) ?? ""
        var document = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n"
        document += "<presence xmlns=\"\(namespace)\" xmlns:dm=\"\(dataModelNamespace)\""
        document += " xmlns:rpid=\"\(rpidNamespace)\" entity=\"\(XMLText.escaped(entity))\">\r\n"
        // RFC 3863 section 4.1.4: basic open/closed; section 4.1.6: the tuple's note, for clients without RPID.
        document += "<tuple id=\"t1\"><status><basic>\(status.isOpen ? "open" : "closed")</basic></status>"
        if !note.isEmpty { document += "<note>\(note)</note>" }
        document += "</tuple>\r\n"
        // RFC 4479 section 3.3 and RFC 4480 section 3.2: what the person does. Offline has no activities.
        var person = status.isOpen ? activities(status) : ""
        if !note.isEmpty { person += "<dm:note>\(note)</dm:note>" }
        document += person.isEmpty ? "<dm:person id=\"p1\"/>\r\n" : "<dm:person id=\"p1\">\(person)</dm:person>\r\n"
        document += "</presence>\r\n"
        return document
    }

    /// The rpid:activities element: on the phone first, then the manual status. Available is the empty
    /// element rather than rpid:unknown, which would read as "the activity is not known".
    static func activities(_ status: PresenceStatus) -> String {
        var elements = status.onThePhone ? "<rpid:on-the-phone/>" : ""
        switch status.manual {
        case .available: break
        case .away: elements += "<rpid:away/>"
        case .busy: elements += "<rpid:busy/>"
        // RFC 4480 has no do-not-disturb: busy, plus an rpid:other that says which kind (Parley's contract).
        case .doNotDisturb: elements += "<rpid:busy/><rpid:other>do-not-disturb</rpid:other>"
        }
        return elements.isEmpty ? "<rpid:activities/>" : "<rpid:activities>\(elements)</rpid:activities>"
    }

    /// Reads what a client PUBLISHes: strict about well-formed XML, tolerant about content (contacts,
    /// timestamps, devices and unknown extensions are ignored). See `PIDFReader` for how activities map.
    public static func read(_ text: String) throws(PIDFError) -> PresenceStatus {
        guard text.utf8.count <= maxBytes else { throw .tooLarge }
        var scanner = try XMLScanner(text)
        var reader = PIDFReader()
        while let event = try scanner.next() {
            try reader.consume(event)
        }
        return reader.status
    }
}
