// swift-tools-version: 6.1
// Parley: a WebSocket-native SIP gateway. Targets follow the levels of DESIGN.md; the
// ArchitectureTests target checks that each level imports only what its level allows.
import PackageDescription

let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "parley",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "parley", targets: ["parley"]),
        .library(name: "SIPCore", targets: ["SIPCore"]),
        .library(name: "SDP", targets: ["SDP"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
    ],
    targets: [
        // Level 0: wire formats.
        .target(
            name: "SIPCore",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strictSettings
        ),
        .target(name: "SDP", swiftSettings: strictSettings),

        // Level 3: the executable.
        .executableTarget(
            name: "parley",
            dependencies: [
                "SIPCore",
                "SDP",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSettings
        ),

        .testTarget(
            name: "SIPCoreTests",
            dependencies: ["SIPCore", .product(name: "NIOCore", package: "swift-nio")],
            exclude: ["Fixtures"],
            swiftSettings: strictSettings
        ),
        .testTarget(name: "SDPTests", dependencies: ["SDP"], swiftSettings: strictSettings),
        .testTarget(
            name: "ConformanceTests",
            dependencies: ["SIPCore", "SDP", .product(name: "NIOCore", package: "swift-nio")],
            exclude: ["Fixtures"],
            swiftSettings: strictSettings
        ),
        .testTarget(name: "ArchitectureTests", swiftSettings: strictSettings),
    ],
    swiftLanguageModes: [.v6]
)
