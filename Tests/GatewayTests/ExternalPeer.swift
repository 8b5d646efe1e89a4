import Foundation
import NIOCore
import NIOPosix

/// Runs the real SIP peers (sipp, baresip, svwar) the tests drive: bounded in time, ended by PID.
enum ExternalPeer {
    struct Finished {
        var status: Int32
        var output: String
    }

    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    /// `swift build --build-tests` puts the `parley` executable beside the test bundle.
    static var parleyBinary: String {
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let candidates = [bundle, bundle.deletingLastPathComponent()].map { $0.appendingPathComponent("parley").path }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates[0]
    }

    /// The full path of a program on PATH, or nil (the test then fails with a clear message).
    static func which(_ program: String) -> String? {
        if program.hasPrefix("/") { return FileManager.default.isExecutableFile(atPath: program) ? program : nil }
        for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let path = "\(directory)/\(program)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    /// Runs a program to the end (killed after `timeout`) and returns its exit status and output.
    static func run(_ program: String, _ arguments: [String], timeout: Duration = .seconds(60), directory: String? = nil) async throws -> Finished {
        let process = try start(program, arguments, directory: directory)
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        while process.process.isRunning && clock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        if process.process.isRunning { process.stop() }
        process.process.waitUntilExit()
        return Finished(status: process.process.terminationStatus, output: process.output())
    }

    static func start(_ program: String, _ arguments: [String], directory: String? = nil) throws -> Running {
        guard let path = which(program) else {
            throw ExternalPeerError("\(program) is not installed (scripts/setup installs the test peers)")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let outputFile = NSTemporaryDirectory() + "parley-peer-\(UUID().uuidString).log"
        FileManager.default.createFile(atPath: outputFile, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: outputFile))
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return Running(process: process, outputFile: outputFile)
    }

    final class Running: @unchecked Sendable {
        let process: Process
        let outputFile: String

        init(process: Process, outputFile: String) {
            self.process = process
            self.outputFile = outputFile
        }

        func output() -> String {
            (try? String(contentsOfFile: outputFile, encoding: .utf8)) ?? ""
        }

        /// Ends the process we started, by its PID (SIGTERM, then SIGKILL after a second).
        func stop() {
            guard process.isRunning else { return }
            kill(process.processIdentifier, SIGTERM)
            for _ in 0..<50 where process.isRunning { usleep(20_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }

        /// Waits until the output contains `text`.
        func waitForOutput(_ text: String, timeout: Duration = .seconds(10)) async throws -> Bool {
            let clock = ContinuousClock()
            let deadline = clock.now.advanced(by: timeout)
            while clock.now < deadline {
                if output().contains(text) { return true }
                try await Task.sleep(for: .milliseconds(50))
            }
            return false
        }
    }

    /// A port free on 127.0.0.1 for UDP and TCP at this moment (for peers that need one in their config).
    static func freePort() throws -> Int {
        for _ in 0..<20 {
            let port = Int.random(in: 30_000...59_000)
            let udp = try? DatagramBootstrap(group: ParleyTestServer.group).bind(host: "127.0.0.1", port: port).wait()
            let tcp = try? ServerBootstrap(group: ParleyTestServer.group).bind(host: "127.0.0.1", port: port).wait()
            try? udp?.close().wait()
            try? tcp?.close().wait()
            if udp != nil && tcp != nil { return port }
        }
        throw ExternalPeerError("no free port found")
    }
}

struct ExternalPeerError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
