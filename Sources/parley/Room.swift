import ArgumentParser
import Storage

/// `parley room`: chatrooms (`sip:NAME@domain`, shared by web and softphone users) and their members.
struct Room: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Manage chatrooms and their members.",
        subcommands: [Create.self, List.self, Remove.self, Member.self]
    )

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create the room sip:NAME@domain.")
        @OptionGroup var common: CommonOptions
        @Argument(help: "The room name (letters, digits, - . _ ~; not a user's name).") var name: String
        @Option(name: .customLong("display-name"), help: "The name shown for the room.") var displayName: String?

        func run() throws {
            let settings = try common.settings()
            try StoreCommand.perform(settings) { (store) throws(StorageError) in
                try store.createRoom(name: name, displayName: displayName)
            }
            print("created room sip:\(name)@\(settings.domain)")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List rooms and their members.")
        @OptionGroup var common: CommonOptions

        func run() throws {
            let settings = try common.settings()
            let rooms = try StoreCommand.perform(settings) { (store) throws(StorageError) in try store.listRooms() }
            for room in rooms {
                var line = "sip:\(room.name)@\(settings.domain)"
                if let displayName = room.displayName { line += " \"\(displayName)\"" }
                line += room.members.isEmpty ? " (no members)" : " members: " + room.members.joined(separator: ", ")
                print(line)
            }
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a room and its memberships.")
        @OptionGroup var common: CommonOptions
        @Argument(help: "The room name.") var name: String

        func run() throws {
            let settings = try common.settings()
            try StoreCommand.perform(settings) { (store) throws(StorageError) in try store.removeRoom(name: name) }
            print("removed room sip:\(name)@\(settings.domain)")
        }
    }

    struct Member: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add or remove room members.", subcommands: [Add.self, Remove.self])

        /// What both member commands take: the store options, then ROOM USER.
        struct Arguments: ParsableArguments {
            @OptionGroup var common: CommonOptions
            @Argument(help: "The room name.") var room: String
            @Argument(help: "The user name.") var user: String
        }

        struct Add: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Make a user a member of a room.")
            @OptionGroup var arguments: Arguments

            func run() throws {
                let (settings, room, user) = (try arguments.common.settings(), arguments.room, arguments.user)
                try StoreCommand.perform(settings) { (store) throws(StorageError) in
                    try store.addMember(room: room, user: user)
                }
                print("sip:\(user)@\(settings.domain) is a member of sip:\(room)@\(settings.domain)")
            }
        }

        struct Remove: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Take a user out of a room.")
            @OptionGroup var arguments: Arguments

            func run() throws {
                let (settings, room, user) = (try arguments.common.settings(), arguments.room, arguments.user)
                try StoreCommand.perform(settings) { (store) throws(StorageError) in
                    try store.removeMember(room: room, user: user)
                }
                print("sip:\(user)@\(settings.domain) left sip:\(room)@\(settings.domain)")
            }
        }
    }
}
