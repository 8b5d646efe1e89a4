import CFuzzerDriver
import NIOCore
import SIPCore

/// SwiftPM links this in place of `main`; libFuzzer's driver takes it from here.
@_cdecl("SIPParserFuzzer_main")
func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var argc = argc
    var argv = argv
    return LLVMFuzzerRunDriver(&argc, &argv) { data, size in
        sipParserFuzzer(UnsafeRawPointer(data!), size)
    }
}

/// libFuzzer entry point: every input goes through the datagram decoder, the stream framer (split in two)
/// and, when accepted, through every typed view and a serialize-then-decode round trip. A crash, a trap or
/// a broken round trip is a finding; each one found becomes a test in Tests/SIPCoreTests/FuzzFindingsTests.
func sipParserFuzzer(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: start, count: count)
    let datagram = ByteBuffer(bytes: bytes)

    if case .message(let message) = SIPDatagramDecoder().decode(datagram) {
        exerciseTypedViews(message.headers)
        let serialized = message.serialized
        guard case .message(let again) = SIPDatagramDecoder().decode(serialized) else {
            fatalError("an accepted message no longer decodes after serialization")
        }
        guard again.serialized == serialized else {
            fatalError("serialization is not stable")
        }
    }

    var framer = SIPStreamFramer()
    let half = count / 2
    framer.append(ByteBuffer(bytes: bytes[..<half]))
    framer.append(ByteBuffer(bytes: bytes[half...]))
    for _ in 0..<64 {
        guard let frame = try? framer.next() else { break }
        if case .message(let message) = frame { exerciseTypedViews(message.headers) }
    }
    return 0
}

private func exerciseTypedViews(_ headers: SIPHeaders) {
    _ = try? headers.via
    _ = try? headers.route
    _ = try? headers.recordRoute
    _ = try? headers.path
    _ = try? headers.expires
    _ = try? headers.contact()
    for value in (try? headers.authorization) ?? [] { _ = try? DigestCredentials(value) }
    for value in (try? headers.wwwAuthenticate) ?? [] { _ = try? DigestChallenge(value) }
    _ = headers.tokens(.supported)
}
