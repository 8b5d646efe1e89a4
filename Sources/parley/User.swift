import ArgumentParser
import Foundation
import Gateway
import Storage
import WebFront

/// `parley user`: public identities (`sip:NAME@domain`, with a web account) and their SIP device
/// accounts, in the store of --data-dir.
struct User: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Manage users (public identities) and their device accounts.",
        subcommands: [Add.self, Device.self, Password.self, List.self, Remove.self, Import.self]
    )

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add many users from a file of `name,password[,display name]` lines (- for stdin), all or none.")
        @OptionGroup var common: CommonOptions
        @Argument(help: "The file to read.") var file: String
        @Option(
            name: .customLong("device-suffix"),
            help: "Also give each user a SIP device account NAME+SUFFIX with the same password (for load tests).")
        var deviceSuffix: String?

        func run() throws {
            let settings = try common.settings()
            let text: String
            if file == "-" {
                text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
            } else {
                guard let contents = try? String(contentsOfFile: file, encoding: .utf8) else {
                    throw CommandFailure("cannot read \(file)")
                }
                text = contents
            }
            var lines: [(name: String, password: String, displayName: String?)] = []
            for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
                let fields = trimmed.split(separator: ",", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
                guard fields.count >= 2, !fields[0].isEmpty, !fields[1].isEmpty else {
                    throw CommandFailure("\(file) line \(number + 1): expected name,password[,display name]")
                }
                lines.append((fields[0], fields[1], fields.count > 2 ? fields[2] : nil))
            }
            let hashes = BulkPasswordHasher.hash(lines.map(\.password))
            let users = zip(lines, hashes).map { line, hash in (name: line.name, passwordHash: hash, displayName: line.displayName) }
            let devices = deviceSuffix.map { suffix in
                lines.map { (user: $0.name, device: $0.name + suffix, password: $0.password) }
            } ?? []
            try StoreCommand.perform(settings) { (store) throws(StorageError) in
                try store.addUsers(users, devices: devices, domain: settings.domain)
            }
            let withDevices = deviceSuffix == nil ? "" : " with device accounts NAME\(deviceSuffix!)"
            print("added \(users.count) users\(withDevices) in \(settings.domain)")
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a user: the public identity sip:NAME@domain and its web account.")
        @OptionGroup var common: CommonOptions
        @Argument(help: "The user name (letters, digits, - . _ ~).") var name: String
        @Option(help: "The password, or - to read one line from standard input.") var password: String
        @Option(name: .customLong("display-name"), help: "The name shown to others.") var displayName: String?

        func run() throws {
            let settings = try common.settings()
            let hash = WebPassword().hash(try PasswordInput.read(password))
            try StoreCommand.perform(settings) { (store) throws(StorageError) in
                try store.addUser(name: name, displayName: displayName, passwordHash: hash, domain: settings.domain)
            }
            print("added sip:\(name)@\(settings.domain)")
        }
    }

    struct Password: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Set a user's web sign-in password; their web sessions end.")
        @OptionGroup var common: CommonOptions
        @Argument(help: "The user name.") var name: String
        @Option(help: "The new password, or - to read one line from standard input.") var password: String

        func run() throws {
            let settings = try common.settings()
            let hash = WebPassword().hash(try PasswordInput.read(password))
            try StoreCommand.perform(settings) { (store) throws(StorageError) in
                try store.setPasswordHash(user: name, passwordHash: hash)
            }
            print("set the web password of sip:\(name)@\(settings.domain)")
        }
    }

    struct Device: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a SIP device account (its own auth username and password) to a user.")
        @OptionGroup var common: CommonOptions
        @Argument(help: "The user the device registers for.") var name: String
        @Argument(help: "The device's auth username, unique on this server.") var device: String
        @Option(help: "The password, or - to read one line from standard input.") var password: String

        func run() throws {
            let settings = try common.settings()
            let secret = try PasswordInput.read(password)
            try StoreCommand.perform(settings) { (store) throws(StorageError) in
                try store.addDevice(user: name, device: device, password: secret, domain: settings.domain)
            }
            print("added device \(device) for sip:\(name)@\(settings.domain)")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List users and their device accounts.")
        @OptionGroup var common: CommonOptions

        func run() throws {
            let settings = try common.settings()
            let users = try StoreCommand.perform(settings) { (store) throws(StorageError) in try store.listUsers() }
            for user in users {
                var line = "sip:\(user.name)@\(settings.domain)"
                if let displayName = user.displayName { line += " \"\(displayName)\"" }
                if !user.devices.isEmpty { line += " devices: " + user.devices.joined(separator: ", ") }
                print(line)
            }
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a user with its accounts and bindings.")
        @OptionGroup var common: CommonOptions
        @Argument(help: "The user name.") var name: String

        func run() throws {
            let settings = try common.settings()
            try StoreCommand.perform(settings) { (store) throws(StorageError) in try store.removeUser(name: name, domain: settings.domain) }
            print("removed sip:\(name)@\(settings.domain)")
        }
    }
}

/// Opens the store and turns its errors into one line.
enum StoreCommand {
    static func perform<T>(_ settings: GatewaySettings, _ body: (ParleyStore) throws(StorageError) -> T) throws -> T {
        do {
            let store = try ParleyStore(dataDirectory: settings.dataDirectory)
            return try body(store)
        } catch {
            throw CommandFailure(error.description)
        }
    }
}

/// `--password -` reads the password from standard input (DESIGN.md), so it stays out of `ps` and history.
enum PasswordInput {
    static func read(_ value: String) throws -> String {
        guard value == "-" else {
            guard !value.isEmpty else { throw CommandFailure("the password must not be empty") }
            return value
        }
        guard let line = readLine(strippingNewline: true), !line.isEmpty else {
            throw CommandFailure("no password on standard input")
        }
        return line
    }
}
