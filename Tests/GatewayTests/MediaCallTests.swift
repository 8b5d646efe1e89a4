import Foundation
import NIOCore
import NIOPosix
import Testing

/// Calls between a WebRTC peer (aiortc, signalling over Parley's WSS) and a SIP device (baresip over UDP,
/// PCMU only), with Parley anchoring the media: ICE-lite, DTLS-SRTP and Opus toward aiortc, plain RTP
/// toward baresip. Each side plays its own tone (aiortc 1000 Hz, baresip 440 Hz) and checks the other's
/// by its dominant frequency (DESIGN.md "Real peers for tests").
@Suite("Media bridge with real peers", .serialized)
struct MediaCallTests {
    static let python = "/usr/bin/python3"
    static let media = ExternalPeer.fixtures.appendingPathComponent("media")
    static let tolerance = 20.0

    /// One peer's result: the JSON line each fixture script prints last.
    struct PeerResult {
        let status: Int32
        let json: [String: Any]
        let output: String

        init(_ finished: ExternalPeer.Finished) {
            status = finished.status
            output = finished.output
            let line = finished.output.split(separator: "\n").last { $0.hasPrefix("{") }
            json = line.flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] } ?? [:]
        }

        var ok: Bool { status == 0 && (json["ok"] as? Bool) == true }
        var dominant: Double? { json["dominant_hz"] as? Double }
        var summary: String { "exit \(status), \(json.isEmpty ? String(output.suffix(3000)) : "\(json)")" }
    }

    struct Setup {
        let server: ParleyTestServer
        let ports: ClosedRange<Int>
        let work: String

        var webSocketURL: String { "wss://127.0.0.1:\(server.address(.wss).port)/sip" }
        var registrar: String { "127.0.0.1:\(server.address(.udp).port)" }

        func webPeer(_ arguments: [String]) -> [String] {
            [MediaCallTests.media.appendingPathComponent("webrtc_peer.py").path, "--ws-url", webSocketURL,
             "--domain", "localhost", "--user", "alice", "--auth-user", "alice-ws", "--password", "alice-ws-secret", "--insecure",
             "--tone-hz", "1000", "--timeout", "60"] + arguments
        }

        func devicePeer(_ arguments: [String]) -> [String] {
            [MediaCallTests.media.appendingPathComponent("baresip_peer.py").path, "--registrar", registrar,
             "--domain", "localhost", "--user", "bob", "--auth-user", "bob-desk", "--password", "desk-secret",
             "--tone-hz", "440", "--codec", "PCMU", "--workdir", work + "/baresip-\(UUID().uuidString.prefix(8))",
             "--timeout", "60"] + arguments
        }

        /// After hang-up every media session ends and every port of the range can be bound again.
        func expectMediaFreed() async throws {
            var usage = await server.gateway.mediaUsage()
            for _ in 0..<100 where usage != (0, 0) {
                try await Task.sleep(for: .milliseconds(50))
                usage = await server.gateway.mediaUsage()
            }
            #expect(usage.sessions == 0, "media sessions left: \(usage.sessions)")
            #expect(usage.ports == 0, "media ports still allocated: \(usage.ports)")
            for port in ports {
                let channel = try? await DatagramBootstrap(group: ParleyTestServer.group)
                    .bind(host: "127.0.0.1", port: port).get()
                #expect(channel != nil, "port \(port) is still bound")
                try? await channel?.close()
            }
        }

        func stop() async {
            await server.stop()
            try? FileManager.default.removeItem(atPath: work)
        }
    }

    static func setup() async throws -> Setup {
        // A range of its own, so that "all ports free" means this test's ports.
        let low = Int.random(in: 21_000...29_000) & ~1
        let ports = low...(low + 19)
        let server = try await ParleyTestServer.start(mediaPorts: ports)
        return Setup(server: server, ports: ports, work: ParleyTestServer.makeDataDirectory())
    }

    /// The answering side starts first; the caller starts once it has registered.
    static func call(answering: [String], answeringRegistered: String, calling: [String]) async throws
        -> (answerer: PeerResult, caller: PeerResult)
    {
        let answerer = try ExternalPeer.start(python, answering)
        defer { answerer.stop() }
        let registered = try await answerer.waitForOutput(answeringRegistered, timeout: .seconds(15))
        #expect(registered, "the answering peer did not register:\n\(answerer.output().suffix(2000))")
        let caller = PeerResult(try await ExternalPeer.run(python, calling, timeout: .seconds(70)))
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: .seconds(20))
        while answerer.process.isRunning && clock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
        answerer.stop()
        answerer.process.waitUntilExit()
        let answered = PeerResult(ExternalPeer.Finished(status: answerer.process.terminationStatus, output: answerer.output()))
        return (answered, caller)
    }

    @Test func webCallsDeviceAndBothHearTheOtherTone() async throws {
        let setup = try await Self.setup()
        defer { Task { await setup.stop() } }
        let (device, web) = try await Self.call(
            answering: setup.devicePeer(["--answer", "--record", setup.work + "/device.wav", "--expect-hz", "1000"]),
            answeringRegistered: "peer registered",
            calling: setup.webPeer(["--call", "sip:bob@localhost", "--duration", "4", "--expect-hz", "440"]))
        #expect(web.ok, "web peer: \(web.summary)")
        #expect(device.ok, "device: \(device.summary)")
        #expect(abs((web.dominant ?? 0) - 440) <= Self.tolerance, "web heard \(web.dominant ?? 0) Hz")
        #expect(abs((device.dominant ?? 0) - 1000) <= Self.tolerance, "device heard \(device.dominant ?? 0) Hz")
        #expect(web.json["srtp_profile"] as? String == "SRTP_AES128_CM_SHA1_80")
        #expect(web.json["codec"] as? String == "audio/opus")
        try await setup.expectMediaFreed()
    }

    @Test func deviceCallsWebAndBothHearTheOtherTone() async throws {
        let setup = try await Self.setup()
        defer { Task { await setup.stop() } }
        let (web, device) = try await Self.call(
            answering: setup.webPeer(["--answer", "--expect-hz", "440", "--answer-wait", "40"]),
            answeringRegistered: "peer registered",
            calling: setup.devicePeer(["--call", "sip:alice@localhost", "--duration", "4", "--expect-hz", "1000"]))
        #expect(web.ok, "web peer: \(web.summary)")
        #expect(device.ok, "device: \(device.summary)")
        #expect(abs((web.dominant ?? 0) - 440) <= Self.tolerance, "web heard \(web.dominant ?? 0) Hz")
        #expect(abs((device.dominant ?? 0) - 1000) <= Self.tolerance, "device heard \(device.dominant ?? 0) Hz")
        try await setup.expectMediaFreed()
    }

    @Test func holdAndResumeKeepTheAudio() async throws {
        let setup = try await Self.setup()
        defer { Task { await setup.stop() } }
        let (device, web) = try await Self.call(
            answering: setup.devicePeer(["--answer", "--record", setup.work + "/device.wav"]),
            answeringRegistered: "peer registered",
            calling: setup.webPeer(["--call", "sip:bob@localhost", "--duration", "5", "--hold-test", "--expect-hz", "440"]))
        #expect(web.ok, "web peer: \(web.summary)")
        #expect(device.ok, "device: \(device.summary)")
        let hold = web.json["hold"] as? [String: Any] ?? [:]
        #expect(hold["hold_answer_direction"] as? String == "recvonly", "hold: \(hold)")
        #expect(hold["resume_answer_direction"] as? String == "sendrecv", "hold: \(hold)")
        #expect(hold["audio_after_resume"] as? Bool == true, "hold: \(hold)")
        #expect(abs((hold["dominant_hz_after_resume"] as? Double ?? 0) - 440) <= Self.tolerance, "hold: \(hold)")
        try await setup.expectMediaFreed()
    }

    @Test func aWrongDTLSFingerprintFailsTheCall() async throws {
        let setup = try await Self.setup()
        defer { Task { await setup.stop() } }
        let (_, web) = try await Self.call(
            answering: setup.devicePeer(["--answer"]),
            answeringRegistered: "peer registered",
            calling: setup.webPeer([
                "--call", "sip:bob@localhost", "--duration", "2", "--connect-timeout", "8", "--tamper-fingerprint",
            ]))
        #expect(!web.ok, "web peer: \(web.summary)")
        #expect(web.json["media_connected"] as? Bool == false, "web peer: \(web.summary)")
        #expect((web.json["frames_received"] as? Int ?? 0) == 0, "web peer: \(web.summary)")
        try await setup.expectMediaFreed()
    }
}
