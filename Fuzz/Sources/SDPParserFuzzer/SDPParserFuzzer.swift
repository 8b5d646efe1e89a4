import CFuzzerDriver
import SDP

/// SwiftPM links this in place of `main`; libFuzzer's driver takes it from here.
@_cdecl("SDPParserFuzzer_main")
func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var argc = argc
    var argv = argv
    return LLVMFuzzerRunDriver(&argc, &argv) { data, size in
        sdpParserFuzzer(UnsafeRawBufferPointer(start: data, count: size))
    }
}

/// Every input goes through the SDP parser; an accepted description has every typed view read and must
/// survive serialize-then-parse with the same serialization.
func sdpParserFuzzer(_ bytes: UnsafeRawBufferPointer) -> CInt {
    guard let description = try? SessionDescription.parse(bytes: bytes) else { return 0 }
    _ = description.groups
    _ = description.bundleGroup
    _ = description.isICELite
    for media in description.media {
        _ = media.rtpMaps
        _ = media.formatParameters
        _ = media.candidates
        _ = media.ssrcAttributes
        _ = media.mediaFormats
        _ = description.connection(of: media)
        _ = description.direction(of: media)
        _ = description.fingerprints(of: media)
        _ = description.iceCredentials(of: media)
    }
    let serialized = description.serialized()
    guard let again = try? SessionDescription.parse(serialized) else {
        fatalError("an accepted description no longer parses after serialization")
    }
    guard again.serialized() == serialized else { fatalError("SDP serialization is not stable") }
    return 0
}
