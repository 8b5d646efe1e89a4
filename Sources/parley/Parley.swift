import ArgumentParser

/// The `parley` command: `serve` runs the server, `user` manages identities in the same store.
@main
struct Parley: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parley",
        abstract: "A WebSocket-native SIP gateway: registrar, proxy, presence, chatrooms and media bridge.",
        discussion: """
            Every command takes --config, --data-dir and --domain, so the server and the user commands work \
            on the same store. Each flag also has a config-file key (the flag's name) and a PARLEY_* \
            environment variable (PARLEY_DATA_DIR for --data-dir).
            """,
        version: "0.2.0",
        subcommands: [Serve.self, User.self, Room.self]
    )
}
