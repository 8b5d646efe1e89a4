import SDP

/// The m= line of one section of a remote description, kept so that an answer can mirror the offer: RFC 3264
/// section 6 requires the answer to have as many m= lines as the offer, in the same order, with the ones not
/// accepted rejected by port 0.
public struct MediaSectionOutline: Sendable, Hashable {
    public var type: SDPMediaType
    public var proto: String
    public var formats: [String]
    /// RFC 5888 section 4: echoed in the answer so the peer can match sections (JSEP section 5.3.1).
    public var mid: String?

    public init(type: SDPMediaType, proto: String, formats: [String], mid: String? = nil) {
        self.type = type
        self.proto = proto
        self.formats = formats
        self.mid = mid
    }

    public init(_ media: MediaDescription) {
        self.init(type: media.type, proto: media.proto, formats: media.formats, mid: media.mid)
    }

    /// This section rejected in an answer (RFC 3264 section 6): port 0, the offered proto and formats, the mid.
    public func rejected(connection: SDPConnection? = nil) -> MediaDescription {
        var media = MediaDescription(
            type: type, port: 0, proto: proto, formats: formats, connections: connection.map { [$0] } ?? [])
        media.mid = mid
        return media
    }
}
