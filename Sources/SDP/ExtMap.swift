/// `a=extmap`: an RTP header extension mapping. RFC 8285 section 8:
/// ```
/// extmap = mapentry ["/" direction] SP extensionname [SP extensionattributes]
/// mapentry = 1*5DIGIT      ; 1-14 one-byte form, 1-255 two-byte form
/// direction = "sendonly" / "recvonly" / "sendrecv" / "inactive"
/// ```
public struct ExtMap: SDPAttributeConvertible {
    public static let attributeName = "extmap"

    public var id: UInt16
    public var direction: MediaDirection?
    /// The extension URI, e.g. `urn:ietf:params:rtp-hdrext:sdes:mid`.
    public var uri: String
    /// Extension attributes after the URI, raw.
    public var extensionAttributes: String?

    public init(id: UInt16, direction: MediaDirection? = nil, uri: String, extensionAttributes: String? = nil) {
        self.id = id
        self.direction = direction
        self.uri = uri
        self.extensionAttributes = extensionAttributes
    }

    public init(attributeValue: String) throws(SDPParseError) {
        let fields = SDPText.fields(attributeValue)
        guard fields.count >= 2 else { throw .attribute("extmap", "expected <id>[/<direction>] <uri>") }
        let entry = fields[0].split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let id = SDPText.number(entry[0], as: UInt16.self), (1...4095).contains(id) else {
            throw .attribute("extmap", "id is not 1-4095")
        }
        var direction: MediaDirection?
        if entry.count == 2 {
            guard let parsed = MediaDirection(rawValue: SDPText.lowercased(entry[1])) else {
                throw .attribute("extmap", "direction is not sendrecv, sendonly, recvonly or inactive")
            }
            direction = parsed
        }
        let rest = fields.dropFirst(2)
        self.init(
            id: id, direction: direction, uri: String(fields[1]),
            extensionAttributes: rest.isEmpty ? nil : rest.joined(separator: " "))
    }

    public var attributeValue: String {
        var value = String(id)
        if let direction { value += "/\(direction.rawValue)" }
        value += " \(uri)"
        if let extensionAttributes { value += " \(extensionAttributes)" }
        return value
    }
}
