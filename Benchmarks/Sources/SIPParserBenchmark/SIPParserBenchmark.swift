import CMallocCounter
import Foundation
import NIOCore
import SIPCore

/// Parser throughput and allocations per message for a typical REGISTER, INVITE with SDP and MESSAGE
/// (real captured messages), next to a baseline measured in the same run: copying the datagram and
/// finding its header end, the least any parser does.
///
///   SIPParserBenchmark [--iterations N] [--only FILE] [--phase baseline|parse]
/// With --phase, only that loop runs and nothing is printed (for instruction counts under callgrind).
@main
struct SIPParserBenchmark {
    struct Case {
        let name: String
        let file: String
    }

    static let cases = [
        Case(name: "REGISTER (baresip, UDP)", file: "baresip-register-udp.sip"),
        Case(name: "REGISTER (JsSIP, WSS)", file: "jssip-register-ws.sip"),
        Case(name: "INVITE+SDP (baresip)", file: "baresip-invite-udp.sip"),
        Case(name: "INVITE+SDP (JsSIP, WebRTC)", file: "jssip-invite-ws.sip"),
        Case(name: "MESSAGE (baresip)", file: "baresip-message-udp.sip"),
    ]

    static func main() throws {
        let arguments = CommandLine.arguments
        func option(_ name: String) -> String? {
            arguments.firstIndex(of: name).flatMap { $0 + 1 < arguments.count ? arguments[$0 + 1] : nil }
        }
        let iterations = Int(option("--iterations") ?? "") ?? 200_000
        let only = option("--only")
        let phase = option("--phase")
        let quiet = phase != nil
        let fixtures = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Tests/SIPCoreTests/Fixtures/captured")

        if !quiet {
            print("iterations per case: \(iterations)")
            print(
                "case".padding(toLength: 28, withPad: " ", startingAt: 0)
                    + "  bytes   parse msg/s  allocs/msg  baseline msg/s  parse/baseline time  serialize msg/s")
        }
        for benchmarkCase in cases where only == nil || benchmarkCase.file.contains(only!) {
            let bytes = [UInt8](try Data(contentsOf: fixtures.appendingPathComponent(benchmarkCase.file)))
            let decoder = SIPDatagramDecoder()
            // The datagram as it arrives from a socket: one ByteBuffer per receive.
            let datagram = ByteBuffer(bytes: bytes)
            guard case .message(let message) = decoder.decode(datagram) else {
                fatalError("\(benchmarkCase.file) does not parse")
            }

            if phase == "baseline" || phase == "parse" {
                for _ in 0..<iterations {
                    let copy = ByteBuffer(bytes: bytes)
                    if phase == "parse" {
                        blackHole(decoder.decode(copy))
                    } else {
                        blackHole(copy.withUnsafeReadableBytes { headerEnd($0) })
                    }
                }
                continue
            }
            let baseline = measure(iterations) {
                let copy = ByteBuffer(bytes: bytes)
                let end = copy.withUnsafeReadableBytes { raw in
                    headerEnd(raw)
                }
                blackHole(end)
            }
            let parse = measure(iterations) {
                let copy = ByteBuffer(bytes: bytes)
                blackHole(decoder.decode(copy))
            }
            let serialize = measure(iterations) {
                blackHole(message.serialized)
            }
            // Allocations per message, less the baseline's (the datagram's own buffer).
            let allocationsPerMessage = (Double(parse.allocations) - Double(baseline.allocations)) / Double(iterations)
            print(
                benchmarkCase.name.padding(toLength: 28, withPad: " ", startingAt: 0)
                    + String(format: "  %5d  %12.0f  %10.1f  %14.0f  %19.2f  %15.0f", bytes.count,
                        Double(iterations) / parse.seconds, allocationsPerMessage,
                        Double(iterations) / baseline.seconds, parse.seconds / baseline.seconds,
                        Double(iterations) / serialize.seconds))
        }
    }

    struct Measurement {
        let seconds: Double
        let allocations: UInt64
    }

    /// Runs `body` a tenth of `iterations` to warm up, then `iterations` times, timed and counted.
    static func measure(_ iterations: Int, _ body: () -> Void) -> Measurement {
        for _ in 0..<max(1, iterations / 10) { body() }
        let allocationsBefore = parley_allocation_count()
        let start = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<iterations { body() }
        let elapsed = DispatchTime.now().uptimeNanoseconds - start
        return Measurement(
            seconds: Double(elapsed) / 1e9, allocations: parley_allocation_count() - allocationsBefore)
    }
}

/// Where CRLFCRLF starts: the baseline's stand-in for framing.
func headerEnd(_ bytes: UnsafeRawBufferPointer) -> Int {
    var index = 3
    while index < bytes.count {
        if bytes[index] == 10, bytes[index - 1] == 13, bytes[index - 2] == 10, bytes[index - 3] == 13 { return index - 3 }
        index += 1
    }
    return 0
}

@inline(never)
func blackHole<T>(_ value: T) {
    withExtendedLifetime(value) {}
}
