/// A NOTIFY body for a subscription to a resource list (RFC 4662 section 5): multipart/related (RFC 2387)
/// whose root part is the RLMI document, then one PIDF part per resource whose state is in the list.
public struct ResourceListBody: Hashable, Sendable {
    public struct Resource: Hashable, Sendable {
        public var uri: String
        public var name: String?
        /// nil: the resource left the list (instance state="terminated" reason="deactivated", no part).
        public var status: PresenceStatus?

        public init(uri: String, name: String? = nil, status: PresenceStatus?) {
            self.uri = uri
            self.name = name
            self.status = status
        }
    }

    /// multipart/related;type="application/rlmi+xml";start="<...>";boundary="..."
    public var contentType: String
    public var body: String

    static let rlmiNamespace = "urn:ietf:params:xml:ns:rlmi"
    /// The root part's Content-ID, named by `start` (RFC 2387 section 3.2).
    static let rootContentID = "rlmi@parley"

    /// `version` is the list's version (RFC 4662 section 5.2: one more with each NOTIFY of the subscription);
    /// `fullState` says whether every resource is in it. `boundary` must be a valid MIME boundary (RFC 2046
    /// section 5.1.1: up to 70 characters) that occurs nowhere in the parts: a random token.
    public static func make(
        listURI: String, version: Int, fullState: Bool, resources: [Resource], boundary: String
    ) -> ResourceListBody {
        var list = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n"
        list += "<list xmlns=\"\(rlmiNamespace)\" uri=\"\(XMLText.escaped(listURI))\" version=\"\(version)\""
        list += " fullState=\"\(fullState)\">\r\n"
        var parts: [(contentID: String, document: String)] = []
        for (offset, resource) in resources.enumerated() {
            list += "<resource uri=\"\(XMLText.escaped(resource.uri))\">"
            if let name = resource.name.map(XMLText.escaped), !name.isEmpty { list += "<name>\(name)</name>" }
            let instance = instanceID(for: resource.uri)
            if let status = resource.status {
                // Section 5.4: cid names the body part that carries this instance's state.
                let partID = contentID(index: offset + 1, uri: resource.uri)
                list += "<instance id=\"\(instance)\" state=\"active\" cid=\"\(partID)\"/>"
                parts.append((partID, PIDFDocument.make(entity: resource.uri, status: status)))
            } else {
                // Section 5.3: a terminated instance has a reason and no state.
                list += "<instance id=\"\(instance)\" state=\"terminated\" reason=\"deactivated\"/>"
            }
            list += "</resource>\r\n"
        }
        list += "</list>"

        // RFC 2046 section 5.1.1: the CRLF before each boundary line belongs to the boundary.
        var body = "--\(boundary)\r\n"
        body += "Content-Type: application/rlmi+xml;charset=\"UTF-8\"\r\n"
        body += "Content-ID: <\(rootContentID)>\r\n\r\n"
        body += list + "\r\n"
        for part in parts {
            body += "--\(boundary)\r\n"
            body += "Content-Transfer-Encoding: binary\r\n"
            body += "Content-ID: <\(part.contentID)>\r\n"
            body += "Content-Type: \(PIDFDocument.mediaType);charset=\"UTF-8\"\r\n\r\n"
            body += part.document + "\r\n"
        }
        body += "--\(boundary)--\r\n"
        let contentType =
            "multipart/related;type=\"application/rlmi+xml\";start=\"<\(rootContentID)>\";boundary=\"\(boundary)\""
        return ResourceListBody(contentType: contentType, body: body)
    }

    /// RFC 4662 section 5.2: an instance keeps its id in every notification, so the id is derived from the
    /// resource's URI: "i" and its 64-bit FNV-1a hash in base 36. Ids need only be unique within a resource.
    static func instanceID(for uri: String) -> String {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in uri.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        return "i" + String(hash, radix: 36)
    }

    /// A Content-ID (RFC 2392, the msg-id of RFC 5322 section 3.6.4) unique within the body by its index:
    /// "r1.alice@parley". The user part keeps only letters, digits, "-" and "_", which are atext.
    static func contentID(index: Int, uri: String) -> String {
        var user = Substring(uri)
        if let colon = user.firstIndex(of: ":") { user = user[user.index(after: colon)...] }
        if let end = user.firstIndex(where: { $0 == "@" || $0 == ";" || $0 == "?" || $0 == ">" }) {
            user = user[..<end]
        }
        let safe = String(user.unicodeScalars.filter(isContentIDCharacter).prefix(32).map(Character.init))
        return safe.isEmpty ? "r\(index)@parley" : "r\(index).\(safe)@parley"
    }

    static func isContentIDCharacter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9", "-", "_": return true
        default: return false
        }
    }
}
