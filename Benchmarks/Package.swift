// swift-tools-version: 6.1
// Parley's benchmarks: a package of its own so the main build and CI never build them. Run them with
// `scripts/bench`. (ordo-one/benchmark 1.38 on Linux with Swift 6.3 needs swift-runtime-interposer, which
// this machine's package mirror lacks; allocations are counted by a malloc interposer of our own.)
import PackageDescription

let package = Package(
    name: "parley-benchmarks",
    dependencies: [
        .package(name: "parley", path: ".."),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
    ],
    targets: [
        .target(name: "CMallocCounter"),
        .executableTarget(
            name: "SIPParserBenchmark",
            dependencies: [
                "CMallocCounter",
                .product(name: "SIPCore", package: "parley"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            // Export the counting malloc so that libswiftCore and libc's own callers resolve to it too.
            linkerSettings: [.unsafeFlags(["-Xlinker", "--export-dynamic"])]
        ),
        // The per-frame cost of one anchored call, in memory (scripts/bench-media/pipeline.sh).
        .executableTarget(
            name: "MediaPipelineBenchmark",
            dependencies: [
                "CMallocCounter",
                .product(name: "MediaSession", package: "parley"),
                .product(name: "AudioCodecs", package: "parley"),
                .product(name: "DTLS", package: "parley"),
                .product(name: "DTLSOpenSSL", package: "parley"),
                .product(name: "ICELite", package: "parley"),
                .product(name: "RTP", package: "parley"),
                .product(name: "SRTP", package: "parley"),
                .product(name: "STUN", package: "parley"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            linkerSettings: [.unsafeFlags(["-Xlinker", "--export-dynamic"])]
        ),
        // N WebRTC <-> SIP calls through Parley's media bridge (scripts/bench-media/run.sh).
        .executableTarget(
            name: "MediaLoadClient",
            dependencies: [
                .product(name: "SIPTestKit", package: "parley"),
                .product(name: "SIPCore", package: "parley"),
                .product(name: "SDP", package: "parley"),
                .product(name: "STUN", package: "parley"),
                .product(name: "ICELite", package: "parley"),
                .product(name: "SRTP", package: "parley"),
                .product(name: "RTP", package: "parley"),
                .product(name: "DTLS", package: "parley"),
                .product(name: "DTLSOpenSSL", package: "parley"),
                .product(name: "AudioCodecs", package: "parley"),
                .product(name: "MediaSession", package: "parley"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ]
        ),
        // Many registered SIP WebSocket clients exchanging MESSAGE (scripts/bench-signalling).
        .executableTarget(
            name: "SIPLoadClient",
            dependencies: [
                .product(name: "SIPTestKit", package: "parley"),
                .product(name: "SIPCore", package: "parley"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
