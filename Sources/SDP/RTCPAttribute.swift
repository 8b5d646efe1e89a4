/// `a=rtcp`: the RTCP port when it is not RTP port + 1. RFC 3605 section 2.1:
/// ```
/// rtcp-attribute = "a=rtcp:" port [nettype space addrtype space connection-address] CRLF
/// ```
public struct RTCPAttribute: SDPAttributeConvertible {
    public static let attributeName = "rtcp"

    public var port: UInt16
    public var connection: SDPConnection?

    public init(port: UInt16, connection: SDPConnection? = nil) {
        self.port = port
        self.connection = connection
    }

    public init(attributeValue: String) throws(SDPParseError) {
        let fields = SDPText.fields(attributeValue)
        guard fields.count == 1 || fields.count == 4, let port = SDPText.number(fields[0], as: UInt16.self) else {
            throw .attribute("rtcp", "expected <port> [<nettype> <addrtype> <address>]")
        }
        self.init(port: port)
        if fields.count == 4 {
            connection = SDPConnection(
                networkType: String(fields[1]), addressType: String(fields[2]), address: String(fields[3]))
        }
    }

    public var attributeValue: String {
        if let connection { "\(port) \(connection.description)" } else { String(port) }
    }
}
