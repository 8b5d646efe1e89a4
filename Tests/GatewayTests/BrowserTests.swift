import Foundation
import Testing

/// The bundled web client in a real headless Chromium against a real `parley serve` and real devices
/// (Tests/Browser/run_browser_tests.py): sign-in and registration, a MESSAGE from a device, a call to
/// baresip with both tones checked, an incoming call rejected, re-registration after a server restart, room
/// messages both ways with a device, unread counts across reloads, and a presence round trip with baresip.
@Suite("Web client in Chromium", .serialized)
struct BrowserTests {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Browser/run_browser_tests.py").path

    @Test func theWebClientWorksInChromium() async throws {
        let screenshots = NSTemporaryDirectory() + "parley-screens-" + UUID().uuidString
        let run = try await ExternalPeer.run(
            "python3", [Self.script, "--parley", ExternalPeer.parleyBinary, "--screenshots", screenshots],
            timeout: .seconds(420))
        #expect(run.status == 0, "browser tests:\n\(run.output.suffix(6000))")
    }
}
