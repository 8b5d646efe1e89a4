import Foundation
import Testing

/// DESIGN.md "levels, and what may import what", enforced on the sources: wire formats (level 0) and
/// sans-IO engines (level 1) import nothing beyond their allow-list, so no I/O, clock or Foundation
/// creeps into a parser or a state machine.
@Suite("Architecture")
struct LayeringTests {
    /// Every target under Sources/ with its level. A new target must be added here to pass.
    static let levels: [String: Int] = [
        "SIPCore": 0, "SDP": 0, "COpus": 0, "COpenSSL": 0, "RTP": 0, "STUN": 0, "SRTP": 0, "AudioCodecs": 0,
        "SIPTransactions": 1, "SIPDialogs": 1, "SIPServices": 1, "ICELite": 1, "DTLS": 1, "MediaSession": 1,
        "SIPTransport": 2, "SIPRuntime": 2, "MediaRuntime": 2, "CMediaIO": 2, "Storage": 2, "DTLSOpenSSL": 2,
        "WebFront": 3, "Gateway": 3, "parley": 3, "SIPTestKit": 3,
    ]

    /// Modules outside the project that levels 0 and 1 may import (NIOCore value types, swift-crypto,
    /// swift-collections, the Opus system library for the codecs, OpenSSL's AES and HMAC for SRTP).
    static let lowLevelExternals: Set<String> = [
        "NIOCore", "Crypto", "Collections", "DequeModule", "OrderedCollections", "HeapModule", "COpus", "COpenSSL",
    ]

    static let sources = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources")

    static var targets: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: sources.path)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
    }

    /// The modules a target's files import (`import X`, `@testable import X`, `import struct X.Y`...).
    static func imports(of target: String) -> [(file: String, module: String)] {
        let directory = sources.appendingPathComponent(target)
        guard let enumerator = FileManager.default.enumerator(atPath: directory.path) else { return [] }
        var result: [(String, String)] = []
        for case let path as String in enumerator where path.hasSuffix(".swift") {
            let text = (try? String(contentsOf: directory.appendingPathComponent(path), encoding: .utf8)) ?? ""
            for line in text.split(separator: "\n") {
                let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
                guard let index = words.firstIndex(of: "import"), index + 1 < words.count,
                    words[..<index].allSatisfy({ $0.hasPrefix("@") || ["public", "internal", "private", "package", "fileprivate"].contains($0) })
                else { continue }
                var module = words[index + 1]
                if ["struct", "class", "enum", "protocol", "func", "var", "let", "typealias"].contains(module),
                    index + 2 < words.count
                {
                    module = words[index + 2]
                }
                result.append((path, String(module.split(separator: ".")[0])))
            }
        }
        return result
    }

    @Test func everyTargetHasALevel() {
        #expect(!Self.targets.isEmpty)
        for target in Self.targets {
            #expect(Self.levels[target] != nil, "Sources/\(target) has no level in LayeringTests.levels")
        }
    }

    @Test(arguments: targets.filter { (levels[$0] ?? 9) <= 1 })
    func lowLevelTargetsImportOnlyTheirAllowList(_ target: String) throws {
        let level = try #require(Self.levels[target])
        for (file, module) in Self.imports(of: target) {
            let projectLevel = Self.levels[module]
            let allowed: Bool
            if let projectLevel {
                // Level 0 may use other wire formats; level 1 engines use level 0 and, when one builds on
                // another (dialogs on transactions), other level-1 engines.
                allowed = projectLevel <= level
            } else {
                allowed = Self.lowLevelExternals.contains(module)
            }
            #expect(allowed, "\(target)/\(file) imports \(module), outside level \(level)'s allow-list")
        }
    }

    @Test func levelTwoDoesNotImportTheAppLevel() {
        for target in Self.targets where Self.levels[target] == 2 {
            for (file, module) in Self.imports(of: target) {
                #expect(Self.levels[module].map { $0 <= 2 } ?? true, "\(target)/\(file) imports \(module) (level 3)")
            }
        }
    }

    @Test func theCheckSeesImports() {
        // Guards the check itself: SIPCore's files do import NIOCore and Crypto.
        let modules = Set(Self.imports(of: "SIPCore").map(\.module))
        #expect(modules.isSuperset(of: ["NIOCore", "Crypto"]))
    }
}
