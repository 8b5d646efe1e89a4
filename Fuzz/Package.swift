// swift-tools-version: 6.1
// libFuzzer targets for Parley's parsers. A package of its own so that the main build never links
// libFuzzer; `scripts/fuzz` builds it with `-sanitize=fuzzer,address` and runs each target for a bounded time.
import PackageDescription

let fuzzerSettings: [SwiftSetting] = [.unsafeFlags(["-parse-as-library"])]

let package = Package(
    name: "parley-fuzz",
    dependencies: [
        .package(name: "parley", path: ".."),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
    ],
    targets: [
        .target(name: "CFuzzerDriver"),
        .executableTarget(
            name: "SIPParserFuzzer",
            dependencies: [
                "CFuzzerDriver",
                .product(name: "SIPCore", package: "parley"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: fuzzerSettings
        ),
        .executableTarget(
            name: "SDPParserFuzzer",
            dependencies: ["CFuzzerDriver", .product(name: "SDP", package: "parley")],
            swiftSettings: fuzzerSettings
        ),
    ],
    swiftLanguageModes: [.v6]
)
