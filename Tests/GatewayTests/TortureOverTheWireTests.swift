import Foundation
import NIOCore
import SIPCore
import SIPTestKit
import Testing

/// The 61 torture messages (RFC 4475, RFC 5118) sent to a running server over UDP, TCP and WebSocket:
/// none may bring it down, and a valid OPTIONS is answered after each.
@Suite("Torture messages over the wire", .serialized)
struct TortureOverTheWireTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("ConformanceTests/Fixtures")

    static func messages() throws -> [(name: String, bytes: [UInt8])] {
        let manifest = try String(contentsOf: fixtures.appendingPathComponent("manifest.tsv"), encoding: .utf8)
        return try manifest.split(separator: "\n").dropFirst().map { line in
            let file = String(line.split(separator: "\t", omittingEmptySubsequences: false)[0])
            let data = try Data(contentsOf: fixtures.appendingPathComponent(file))
            return (file, [UInt8](data))
        }
    }

    @Test(arguments: [SIPTransportKind.udp, .tcp, .ws])
    func serverSurvivesEveryTortureMessage(transport: SIPTransportKind) async throws {
        let server = try await ParleyTestServer.start()
        defer { Task { await server.stop() } }
        let messages = try Self.messages()
        #expect(messages.count == 61)
        for (name, bytes) in messages {
            let attacker = try await server.agent(transport)
            var buffer = ByteBuffer()
            buffer.writeBytes(bytes)
            attacker.send(bytes: buffer)
            // Give the server the message before probing (UDP has no ordering between sockets).
            try await Task.sleep(for: .milliseconds(10))
            await attacker.close()

            let probe = try await server.agent(transport)
            let callID = probe.uniqueToken()
            probe.send(text: probe.makeRequest(
                .options, uri: "sip:localhost", from: "sip:probe@localhost", fromTag: "t", to: "sip:localhost",
                callID: callID, cseq: 1))
            let answer = try? await probe.finalResponse(callID: callID, cseq: 1, timeout: .seconds(5))
            #expect(answer?.status == .ok, "no answer to OPTIONS after \(name) over \(transport)")
            await probe.close()
        }
    }
}
