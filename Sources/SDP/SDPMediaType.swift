/// The `<media>` field of an m= line (RFC 8866 section 5.14; registry in section 8.2.2). Compared exactly: media
/// types are registered in lowercase.
public enum SDPMediaType: Hashable, Sendable, CustomStringConvertible {
    case audio
    case video
    case text
    case application
    case message
    case image
    case other(String)

    public init(_ name: String) {
        switch name {
        case "audio": self = .audio
        case "video": self = .video
        case "text": self = .text
        case "application": self = .application
        case "message": self = .message
        case "image": self = .image
        default: self = .other(name)
        }
    }

    public var name: String {
        switch self {
        case .audio: "audio"
        case .video: "video"
        case .text: "text"
        case .application: "application"
        case .message: "message"
        case .image: "image"
        case .other(let name): name
        }
    }

    public var description: String { name }
}
