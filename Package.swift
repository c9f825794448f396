// swift-tools-version:6.0
//
// WeMeet — a peer-to-peer messenger node for the local network.
//
// Dependencies point one way: CLI → node → (channel, store, discovery) → crypto.
// The C shims (`CSodium`, `CDNSSD`) are imported only by the crypto and discovery layers.

import PackageDescription

let package = Package(
    name: "WeMeet",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "wemeet", targets: ["WeMeetCLI"]),
        .executable(name: "wemeet-bench", targets: ["WeMeetBench"]),
        .library(name: "WeMeetCrypto", targets: ["WeMeetCrypto"]),
        .library(name: "WeMeetNode", targets: ["WeMeetNode"]),
        .library(name: "WeMeetChannel", targets: ["WeMeetChannel"]),
        .library(name: "WeMeetStore", targets: ["WeMeetStore"]),
        .library(name: "WeMeetDiscovery", targets: ["WeMeetDiscovery"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    ],
    targets: [
        // MARK: C shims
        .systemLibrary(
            name: "CSodium",
            pkgConfig: "libsodium",
            providers: [.apt(["libsodium-dev"]), .brew(["libsodium"])]
        ),
        .systemLibrary(
            name: "CDNSSD",
            pkgConfig: "avahi-compat-libdns_sd",
            providers: [.apt(["libavahi-compat-libdnssd-dev"])]
        ),

        // MARK: Layers
        .target(
            name: "WeMeetCrypto",
            dependencies: ["CSodium"]
        ),
        .target(
            name: "WeMeetChannel",
            dependencies: [
                "WeMeetCrypto",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "WeMeetStore",
            dependencies: [
                "WeMeetCrypto",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "WeMeetDiscovery",
            dependencies: ["CDNSSD", "WeMeetCrypto", .product(name: "Logging", package: "swift-log")]
        ),
        .target(
            name: "WeMeetNode",
            dependencies: [
                "WeMeetCrypto",
                "WeMeetChannel",
                "WeMeetStore",
                "WeMeetDiscovery",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .executableTarget(
            name: "WeMeetCLI",
            dependencies: [
                "WeMeetNode",
                "WeMeetStore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "WeMeetBench",
            dependencies: [
                "WeMeetChannel",
                "WeMeetNode",
                "WeMeetCrypto",
                "WeMeetStore",
                "WeMeetDiscovery",
                "WeMeetTestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // MARK: Tests
        .target(
            name: "WeMeetTestSupport",
            dependencies: [
                "WeMeetNode", "WeMeetChannel", "WeMeetCrypto", "WeMeetStore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/WeMeetTestSupport"
        ),
        .testTarget(name: "WeMeetCryptoTests", dependencies: ["WeMeetCrypto"]),
        .testTarget(
            name: "WeMeetChannelTests",
            dependencies: [
                "WeMeetChannel", "WeMeetTestSupport",
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ],
            resources: [.copy("Vectors")]
        ),
        .testTarget(
            name: "WeMeetStoreTests", dependencies: ["WeMeetStore", "WeMeetTestSupport"], resources: [.copy("Vectors")]),
        .testTarget(
            name: "WeMeetNodeTests",
            dependencies: ["WeMeetNode", "WeMeetDiscovery", "WeMeetCrypto", "WeMeetTestSupport"]),
        .testTarget(name: "WeMeetDiscoveryTests", dependencies: ["WeMeetDiscovery", "WeMeetCrypto"]),
        .testTarget(
            name: "WeMeetCLITests",
            dependencies: [
                "WeMeetCLI", "WeMeetNode", "WeMeetStore", "WeMeetDiscovery", "WeMeetChannel", "WeMeetCrypto",
                "WeMeetTestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]),
    ]
)
