import SIPServices

/// What the SIP runtime needs to serve chatrooms and stored private messages: where messages are kept and
/// who is in which room. Without it, MESSAGE is proxied like any other request.
public struct ChatServices {
    public var archive: any MessageArchive
    public var directory: any ChatDirectory

    public init(archive: any MessageArchive, directory: any ChatDirectory) {
        self.archive = archive
        self.directory = directory
    }
}
