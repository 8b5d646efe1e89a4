import Foundation
import HummingbirdTesting
import NIOCore
import SIPTestKit
import Testing

/// `parley user` as an operator runs it: web passwords for HTTPS sign-in, device accounts for SIP.
@Suite("User commands", .serialized)
struct UserCommandTests {
    static func parley(_ arguments: [String]) async throws -> ExternalPeer.Finished {
        try await ExternalPeer.run(ExternalPeer.parleyBinary, arguments, timeout: .seconds(60))
    }

    @Test func importedUsersSignInOnTheWebAndTheirDevicesRegister() async throws {
        let directory = ParleyTestServer.makeDataDirectory()
        let file = directory + "/users.csv"
        try "# name,password[,display name]\nerin,erin-secret,Erin\nfrank,frank-secret\n".write(
            toFile: file, atomically: true, encoding: .utf8)
        let imported = try await Self.parley([
            "user", "import", file, "--device-suffix=-sip", "--data-dir", directory, "--domain", "localhost",
        ])
        #expect(imported.status == 0, "\(imported.output)")
        #expect(imported.output.contains("added 2 users with device accounts NAME-sip"))
        let changed = try await Self.parley([
            "user", "password", "frank", "--password", "frank-new", "--data-dir", directory, "--domain", "localhost",
        ])
        #expect(changed.status == 0, "\(changed.output)")
        let missing = try await Self.parley(["user", "password", "nobody", "--password", "x", "--data-dir", directory])
        #expect(missing.status != 0)
        #expect(missing.output.contains("no user 'nobody'"))

        try await WebFrontTests.withWebFront(dataDirectory: directory) { server, client in
            #expect(try await WebFrontTests.signIn(client, user: "erin", password: "erin-secret").status == .ok)
            #expect(
                try await WebFrontTests.signIn(client, user: "frank", password: "frank-secret").status == .unauthorized)
            #expect(try await WebFrontTests.signIn(client, user: "frank", password: "frank-new").status == .ok)

            let device = try await server.agent(.udp)
            let registered = try await device.register(
                aor: "sip:erin@localhost", username: "erin-sip", password: "erin-secret")
            #expect(registered.status == .ok)
            // The web account's name and password are not SIP credentials.
            let webAccount = try await device.register(
                aor: "sip:erin@localhost", username: "erin", password: "erin-secret")
            #expect(webAccount.status == .unauthorized)
            await device.close()
        }
    }

    @Test func roomsAreManagedFromTheCommandLine() async throws {
        let directory = ParleyTestServer.makeDataDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let common = ["--data-dir", directory, "--domain", "localhost"]
        for arguments in [
            ["user", "add", "alice", "--password", "alice-secret"],
            ["room", "create", "lobby", "--display-name", "Lobby"],
            ["room", "member", "add", "lobby", "alice"],
        ] {
            let run = try await Self.parley(arguments + common)
            #expect(run.status == 0, "parley \(arguments.joined(separator: " ")): \(run.output)")
        }
        let listed = try await Self.parley(["room", "list"] + common)
        #expect(listed.output.contains("sip:lobby@localhost \"Lobby\" members: alice"), "\(listed.output)")
        let clash = try await Self.parley(["room", "create", "alice"] + common)
        #expect(clash.status != 0)
        #expect(clash.output.contains("'alice' is already the name of a user or a room"), "\(clash.output)")
        let left = try await Self.parley(["room", "member", "remove", "lobby", "alice"] + common)
        #expect(left.status == 0, "\(left.output)")
        let removed = try await Self.parley(["room", "remove", "lobby"] + common)
        #expect(removed.status == 0, "\(removed.output)")
        #expect(try await Self.parley(["room", "list"] + common).output.isEmpty)
    }
}
