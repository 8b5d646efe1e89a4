import Foundation
import SIPCore
import SIPTestKit
import Testing

/// Parley against real SIP software: sipp, baresip and sipvicious (DESIGN.md, "Real peers for tests").
@Suite("Real peers", .serialized)
struct RealPeerTests {
    /// sipp answers only the topmost challenge, and only MD5 (sipp 3.6), and puts the server's address
    /// in the digest uri unless told (-auth_uri): the server offers MD5 first for it.
    @Test(arguments: ["u1", "t1"])
    func sippRegistersWithDigest(transport: String) async throws {
        let server = try await ParleyTestServer.start(digestAlgorithms: ["MD5", "SHA-256"])
        defer { Task { await server.stop() } }
        let target = transport == "u1" ? server.address(.udp) : server.address(.tcp)
        let scenario = ExternalPeer.fixtures.appendingPathComponent("sipp/register.xml").path
        let result = try await ExternalPeer.run(
            "sipp",
            [
                "\(target.host):\(target.port)", "-t", transport, "-sf", scenario, "-au", "alice-phone",
                "-ap", "phone-secret", "-auth_uri", "localhost", "-m", "3", "-i", "127.0.0.1", "-p",
                "\(try ExternalPeer.freePort())", "-nostdin", "-timeout", "20s", "-timeout_error",
            ],
            timeout: .seconds(30), directory: NSTemporaryDirectory())
        #expect(result.status == 0, "sipp output:\n\(result.output.suffix(2000))")
        #expect(result.output.contains("Successful call"))
    }

    @Test func baresipRegistersAndReceivesAMessage() async throws {
        let server = try await ParleyTestServer.start()
        defer { Task { await server.stop() } }
        let configDirectory = ParleyTestServer.makeDataDirectory()
        defer { try? FileManager.default.removeItem(atPath: configDirectory) }
        let sipPort = try ExternalPeer.freePort()
        let udp = server.address(.udp)
        try """
            poll_method epoll
            sip_listen 127.0.0.1:\(sipPort)
            net_interface 127.0.0.1
            module_path /usr/lib/baresip/modules
            module g711.so
            module aufile.so
            module account.so
            module menu.so
            audio_player aufile,/dev/null
            audio_source aufile,/dev/null
            """.write(toFile: configDirectory + "/config", atomically: true, encoding: .utf8)
        try """
            <sip:alice@localhost;transport=udp>;auth_user=alice-phone;auth_pass=phone-secret;outbound="sip:\(udp.host):\(udp.port)";regint=300;audio_codecs=PCMU
            """.write(toFile: configDirectory + "/accounts", atomically: true, encoding: .utf8)
        let baresip = try ExternalPeer.start("baresip", ["-f", configDirectory, "-s", "-t", "30"])
        defer { baresip.stop() }
        let registered = try await baresip.waitForOutput("200 OK")
        #expect(registered, "baresip output:\n\(baresip.output().suffix(3000))")

        let sender = try await server.registered(.wss, user: "bob")
        let callID = sender.uniqueToken()
        sender.send(text: sender.makeRequest(
            .message, uri: "sip:alice@localhost", from: "sip:bob@localhost", fromTag: sender.uniqueToken(),
            to: "sip:alice@localhost", callID: callID, cseq: 1, body: "hello baresip", contentType: "text/plain"))
        let response = try await sender.finalResponse(callID: callID, cseq: 1)
        #expect(response.status == .ok)
        let shown = try await baresip.waitForOutput("hello baresip")
        #expect(shown, "baresip output:\n\(baresip.output().suffix(3000))")
        await sender.close()
    }

    /// sipvicious's svwar tells users apart by differing answers; every probe must look the same.
    @Test(arguments: ["REGISTER", "INVITE", "OPTIONS"])
    func svwarFindsNoUsers(method: String) async throws {
        let server = try await ParleyTestServer.start()
        defer { Task { await server.stop() } }
        let words = NSTemporaryDirectory() + "parley-svwar-\(UUID().uuidString).txt"
        try "alice\nbob\ncarol\nalice-phone\nbob-desk\nmallory\nadmin\n100\n".write(toFile: words, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: words) }
        let udp = server.address(.udp)
        let common = [
            "-m", method, "--domain", "localhost", "-p", "\(udp.port)", "-P", "\(try ExternalPeer.freePort())",
            "-b", "127.0.0.1", "-d", words,
        ]
        let plain = try await ExternalPeer.run("svwar", common + ["127.0.0.1"], timeout: .seconds(90))
        #expect(plain.output.contains("found nothing"), "svwar output:\n\(plain.output.suffix(2000))")
        // Forced past its sanity check, it must still see real and made-up names alike.
        let forced = try await ExternalPeer.run("svwar", common + ["--force", "127.0.0.1"], timeout: .seconds(90))
        let rows = forced.output.split(separator: "\n").filter { $0.hasPrefix("| ") && !$0.contains("Extension") }
        let reported = Set(rows.compactMap { $0.split(separator: "|").first?.trimmingCharacters(in: .whitespaces) })
        for real in ["alice", "bob", "carol"] {
            #expect(reported.contains(real) == reported.contains("mallory"), "svwar told \(real) apart:\n\(forced.output.suffix(2000))")
        }
    }
}
