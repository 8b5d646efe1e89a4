import ArgumentParser

/// The `parley` command. Its subcommands arrive with the issues that implement them: `serve` and
/// `user` with the signalling gateway, `room` with chatrooms.
@main
struct Parley: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parley",
        abstract: "A WebSocket-native SIP gateway: registrar, proxy, presence, chatrooms and media bridge.",
        discussion: """
            This build holds the SIP message core and SDP; the server commands (serve, user) arrive with \
            the signalling gateway.
            """,
        version: "0.1.0"
    )
}
