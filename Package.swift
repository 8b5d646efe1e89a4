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
        .library(name: "SIPTestKit", targets: ["SIPTestKit"]),
        // The media modules, for the benchmarks package.
        .library(name: "RTP", targets: ["RTP"]),
        .library(name: "STUN", targets: ["STUN"]),
        .library(name: "SRTP", targets: ["SRTP"]),
        .library(name: "AudioCodecs", targets: ["AudioCodecs"]),
        .library(name: "ICELite", targets: ["ICELite"]),
        .library(name: "DTLS", targets: ["DTLS"]),
        .library(name: "DTLSOpenSSL", targets: ["DTLSOpenSSL"]),
        .library(name: "MediaSession", targets: ["MediaSession"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
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
        // System libraries from Debian: libopus-dev and libssl-dev (scripts/setup installs them).
        .systemLibrary(name: "COpus", pkgConfig: "opus", providers: [.apt(["libopus-dev"])]),
        .systemLibrary(name: "COpenSSL", pkgConfig: "openssl", providers: [.apt(["libssl-dev"])]),
        .target(name: "RTP", swiftSettings: strictSettings),
        .target(
            name: "STUN",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strictSettings
        ),
        .target(name: "SRTP", dependencies: ["COpenSSL"], swiftSettings: strictSettings),
        .target(name: "AudioCodecs", dependencies: ["COpus"], swiftSettings: strictSettings),

        // Level 1: sans-IO engines.
        .target(
            name: "SIPTransactions",
            dependencies: ["SIPCore", .product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: strictSettings
        ),
        .target(
            name: "SIPServices",
            dependencies: [
                "SIPCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strictSettings
        ),

        .target(
            name: "ICELite",
            dependencies: ["STUN", .product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: strictSettings
        ),
        .target(
            name: "DTLS", dependencies: ["SDP", .product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: strictSettings
        ),
        .target(
            name: "MediaSession",
            dependencies: [
                "RTP", "SRTP", "STUN", "ICELite", "DTLS", "AudioCodecs", "SDP",
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),

        // Level 2: I/O.
        .target(
            name: "DTLSOpenSSL",
            dependencies: ["DTLS", "COpenSSL", .product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: strictSettings
        ),
        .target(name: "CMediaIO"),
        .target(
            name: "MediaRuntime",
            dependencies: [
                "CMediaIO",
                "MediaSession", "DTLS", "DTLSOpenSSL", "ICELite", "SDP", "SIPServices",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "SIPTransport",
            dependencies: [
                "SIPCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "Storage",
            dependencies: [
                "SIPCore",
                "SIPServices",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "SIPRuntime",
            dependencies: [
                "SIPCore",
                "SIPTransactions",
                "SIPServices",
                "SIPTransport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),

        // Level 3: composition and the executable.
        // The HTTPS front: the web client's files, the sign-in API and the `/sip` WebSocket (handed to the
        // SIP transport on upgrade), on Hummingbird.
        .target(
            name: "WebFront",
            dependencies: [
                "SIPCore",
                "SIPServices",
                "SIPTransport",
                "SIPRuntime",
                "Storage",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOHTTPTypesHTTP1", package: "swift-nio-extras"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "Gateway",
            dependencies: [
                "SIPCore",
                "SIPServices",
                "SIPTransport",
                "SIPRuntime",
                "Storage",
                "WebFront",
                "MediaRuntime",
                "MediaSession",
                "DTLSOpenSSL",
                "AudioCodecs",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        // Test peers: a SIP user agent over UDP, TCP, TLS, WS and WSS for the integration tests and the
        // WebSocket load client. Written apart from the server's engines.
        .target(
            name: "SIPTestKit",
            dependencies: [
                "SIPCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "parley",
            dependencies: [
                "Gateway",
                "Storage",
                "WebFront",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
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
        .testTarget(
            name: "SIPTransactionsTests",
            dependencies: ["SIPTransactions", "SIPCore", .product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "SIPServicesTests",
            dependencies: ["SIPServices", "SIPCore", .product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "GatewayTests",
            dependencies: [
                "Gateway", "SIPTestKit", "SIPCore", "SIPTransport", "Storage", "SDP", "WebFront",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            exclude: ["Fixtures"],
            swiftSettings: strictSettings
        ),
        .testTarget(name: "RTPTests", dependencies: ["RTP"], swiftSettings: strictSettings),
        .testTarget(
            name: "STUNTests",
            dependencies: ["STUN", .product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "ICELiteTests",
            dependencies: ["ICELite", "STUN", .product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: strictSettings
        ),
        .testTarget(name: "SRTPTests", dependencies: ["SRTP"], swiftSettings: strictSettings),
        .testTarget(name: "AudioCodecsTests", dependencies: ["AudioCodecs"], swiftSettings: strictSettings),
        .testTarget(
            name: "DTLSTests",
            dependencies: ["DTLS", "DTLSOpenSSL", .product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "MediaSessionTests",
            dependencies: [
                "MediaSession", "RTP", "SRTP", "STUN", "ICELite", "DTLS", "DTLSOpenSSL", "AudioCodecs", "SDP",
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "WebFrontTests",
            dependencies: [
                "WebFront", "Storage", "SIPServices", "SIPCore", .product(name: "Hummingbird", package: "hummingbird"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(name: "StorageTests", dependencies: ["Storage", "SIPCore", "SIPServices"], swiftSettings: strictSettings),
        .testTarget(name: "ArchitectureTests", swiftSettings: strictSettings),
    ],
    swiftLanguageModes: [.v6]
)
