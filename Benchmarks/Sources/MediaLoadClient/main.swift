import Foundation

/// A WebRTC <-> SIP media load client for Parley's media bridge (scripts/bench-media): N calls, each a
/// web caller over WSS with ICE, DTLS-SRTP and Opus (or PCMU) and a device callee over UDP with plain
/// PCMU, all driven from one event loop with one 20 ms tick, so that the client costs far less per call
/// than the server it measures.
let parsedOptions: MediaLoadOptions
do {
    parsedOptions = try MediaLoadOptions.parse(Array(CommandLine.arguments.dropFirst()))
} catch {
    FileHandle.standardError.write(Data("\(error)\n".utf8))
    exit(2)
}
exit(await MediaLoadRun.main(options: parsedOptions))
