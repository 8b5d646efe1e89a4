import Foundation
import NIOCore
import SDP
import SIPCore
import Testing

/// The SDP bodies of the captured real messages (Chrome via JsSIP and SIP.js, baresip, linphone) parse
/// with the SDP module and serialize back byte for byte.
@Suite("Captured SDP bodies")
struct CapturedBodyTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("SIPCoreTests/Fixtures/captured")

    static let bodies: [(file: String, body: String)] = {
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).sorted()
        return files.compactMap { file in
            guard file.hasSuffix(".sip"), let data = try? Data(contentsOf: folder.appendingPathComponent(file)),
                case .message(let message) = SIPDatagramDecoder().decode(ByteBuffer(bytes: data)),
                message.headers.first(.contentType)?.valueString.lowercased() == "application/sdp"
            else { return nil }
            return (file, String(buffer: message.body))
        }
    }()

    @Test func webAndSoftphoneOffersArePresent() {
        #expect(Self.bodies.count >= 6)
        #expect(Self.bodies.contains { $0.file.hasPrefix("jssip") })
        #expect(Self.bodies.contains { $0.file.hasPrefix("baresip") })
    }

    @Test(arguments: bodies.map(\.file))
    func sdpParsesAndRoundTrips(_ file: String) throws {
        let body = try #require(Self.bodies.first { $0.file == file }?.body)
        let description = try SessionDescription.parse(body)
        #expect(!description.media.isEmpty)
        #expect(description.serialized() == body)
        if file.hasPrefix("jssip") || file.hasPrefix("sipjs") {
            let audio = try #require(description.media.first)
            #expect(description.iceCredentials(of: audio) != nil)
            #expect(!description.fingerprints(of: audio).isEmpty)
        }
    }
}
