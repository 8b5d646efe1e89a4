import Foundation
import Testing

/// One row of `Fixtures/manifest.tsv`: a torture message and what a parser must do with it.
struct TortureCase: CustomTestStringConvertible, Sendable {
    enum ParserMust: String, Sendable {
        case accept
        case reject
        case rejectOrTolerate = "reject-or-tolerate"
        case acceptThenError = "accept-then-error"
    }

    let file: String
    let section: String
    let title: String
    let parserMust: ParserMust
    let expectedBytes: Int
    let sha256: String

    var testDescription: String { "\(file) (\(section) \(title))" }

    var isResponse: Bool { bytes.starts(with: Array("SIP/2.0".utf8)) }

    var bytes: [UInt8] {
        let url = TortureManifest.fixtures.appendingPathComponent(file)
        return [UInt8]((try? Data(contentsOf: url)) ?? Data())
    }
}

enum TortureManifest {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static let cases: [TortureCase] = {
        let text = (try? String(contentsOf: fixtures.appendingPathComponent("manifest.tsv"), encoding: .utf8)) ?? ""
        return text.split(separator: "\n").dropFirst().compactMap { line in
            let columns = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard columns.count >= 9, let must = TortureCase.ParserMust(rawValue: columns[5]) else { return nil }
            return TortureCase(
                file: columns[0], section: columns[2], title: columns[3], parserMust: must,
                expectedBytes: Int(columns[7]) ?? -1, sha256: columns[8])
        }
    }()
}
