// swift-tools-version:6.0
//
// WeMeet — a peer-to-peer messenger node for the local network.
//
// Dependencies point one way: CLI → control → node → features (friends, messaging, groups)
// → (sync, peers) → (channel, store, discovery) → crypto; every layer may use the model.
// The C shims (`CSodium`, `CDNSSD`) are imported only by the crypto and discovery layers.

import PackageDescription

let package = Package(
    name: "WeMeet",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "wemeet", targets: ["WeMeetCLI"]),
        .executable(name: "wemeet-bench", targets: ["WeMeetBench"]),
        .library(name: "WeMeetCrypto", targets: ["WeMeetCrypto"]),
        .library(name: "WeMeetModel", targets: ["WeMeetModel"]),
        .library(name: "WeMeetNode", targets: ["WeMeetNode"]),
        .library(name: "WeMeetControl", targets: ["WeMeetControl"]),
        .library(name: "WeMeetChannel", targets: ["WeMeetChannel"]),
        .library(name: "WeMeetStore", targets: ["WeMeetStore"]),
        .library(name: "WeMeetDiscovery", targets: ["WeMeetDiscovery"]),
        // Not shipped: the libFuzzer targets (FuzzTesting/) and the smoke tests link it.
        .library(name: "WeMeetFuzzHarness", targets: ["WeMeetFuzzHarness"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        // The web app beyond loopback: HTTPS with a certificate the node makes (issue: seams).
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-certificates", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-asn1", from: "1.7.4"),
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
            name: "WeMeetModel",
            dependencies: ["WeMeetCrypto"]
        ),
        .target(
            name: "WeMeetPeers",
            dependencies: [
                "WeMeetModel", "WeMeetCrypto", "WeMeetChannel", "WeMeetDiscovery",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "WeMeetSync",
            dependencies: [
                "WeMeetModel", "WeMeetCrypto", "WeMeetChannel", "WeMeetStore",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "WeMeetFriends",
            dependencies: [
                "WeMeetModel", "WeMeetCrypto", "WeMeetChannel", "WeMeetStore", "WeMeetPeers", "WeMeetSync",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "WeMeetAttachments",
            dependencies: [
                "WeMeetModel", "WeMeetCrypto", "WeMeetChannel", "WeMeetStore", "WeMeetSync",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "WeMeetMessaging",
            dependencies: [
                "WeMeetModel", "WeMeetCrypto", "WeMeetChannel", "WeMeetStore", "WeMeetSync", "WeMeetFriends",
                "WeMeetAttachments",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "WeMeetGroups",
            dependencies: [
                "WeMeetModel", "WeMeetCrypto", "WeMeetChannel", "WeMeetStore", "WeMeetSync", "WeMeetFriends",
                "WeMeetAttachments",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HeapModule", package: "swift-collections"),
            ]
        ),
        .target(
            name: "WeMeetNode",
            dependencies: [
                "WeMeetModel", "WeMeetCrypto", "WeMeetChannel", "WeMeetStore", "WeMeetDiscovery", "WeMeetPeers",
                "WeMeetSync", "WeMeetFriends", "WeMeetMessaging", "WeMeetGroups", "WeMeetAttachments",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        .target(
            name: "WeMeetControl",
            dependencies: [
                "WeMeetModel", "WeMeetNode", "WeMeetCrypto", "WeMeetStore", "WeMeetSync", "WeMeetFriends",
                "WeMeetGroups", "WeMeetAttachments",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .target(
            name: "WeMeetWeb",
            dependencies: [
                "WeMeetModel", "WeMeetNode", "WeMeetControl", "WeMeetChannel", "WeMeetPeers",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ],
            // The web app: HTML, CSS and one JavaScript module per screen, carried in the binary.
            resources: [.embedInCode("Assets")]
        ),
        .executableTarget(
            name: "WeMeetCLI",
            dependencies: [
                "WeMeetModel", "WeMeetNode", "WeMeetControl", "WeMeetWeb", "WeMeetStore", "WeMeetCrypto",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "WeMeetBench",
            dependencies: [
                "WeMeetChannel",
                "WeMeetModel", "WeMeetPeers", "WeMeetSync", "WeMeetFriends", "WeMeetMessaging", "WeMeetGroups",
                "WeMeetNode", "WeMeetControl",
                "WeMeetCrypto",
                "WeMeetStore",
                "WeMeetDiscovery",
                "WeMeetProcess",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // MARK: Tools (shipped in nothing)
        .target(name: "WeMeetProcess"),

        // MARK: Fuzzing
        .target(
            name: "WeMeetFuzzHarness",
            dependencies: [
                "WeMeetCrypto", "WeMeetChannel", "WeMeetStore", "WeMeetDiscovery", "WeMeetModel", "WeMeetSync",
                "WeMeetFriends", "WeMeetNode", "WeMeetControl",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // MARK: Tests
        .target(
            name: "WeMeetTestSupport",
            dependencies: [
                "WeMeetModel", "WeMeetPeers", "WeMeetSync", "WeMeetFriends", "WeMeetMessaging", "WeMeetGroups",
                "WeMeetNode", "WeMeetControl", "WeMeetAttachments",
                "WeMeetChannel", "WeMeetCrypto", "WeMeetStore", "WeMeetDiscovery", "WeMeetProcess",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/WeMeetTestSupport"
        ),
        .testTarget(name: "WeMeetCryptoTests", dependencies: ["WeMeetCrypto"]),
        .testTarget(
            name: "WeMeetChannelTests",
            dependencies: [
                "WeMeetChannel", "WeMeetTestSupport", "WeMeetFuzzHarness", "WeMeetProcess",
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ],
            resources: [.copy("Vectors")]
        ),
        .testTarget(
            name: "WeMeetStoreTests",
            dependencies: ["WeMeetStore", "WeMeetTestSupport", "WeMeetFuzzHarness", "WeMeetProcess"],
            resources: [.copy("Vectors")]),
        .testTarget(
            name: "WeMeetNodeTests",
            dependencies: [
                "WeMeetModel", "WeMeetPeers", "WeMeetSync", "WeMeetFriends", "WeMeetMessaging", "WeMeetGroups",
                "WeMeetNode", "WeMeetControl", "WeMeetDiscovery", "WeMeetCrypto", "WeMeetStore",
                "WeMeetChannel", "WeMeetTestSupport", "WeMeetFuzzHarness", "WeMeetProcess", "WeMeetAttachments",
            ]),
        .testTarget(name: "WeMeetDiscoveryTests", dependencies: ["WeMeetDiscovery", "WeMeetCrypto"]),
        .testTarget(
            name: "WeMeetCLITests",
            dependencies: [
                "WeMeetCLI", "WeMeetModel", "WeMeetPeers", "WeMeetSync", "WeMeetFriends", "WeMeetMessaging",
                "WeMeetGroups", "WeMeetNode", "WeMeetControl", "WeMeetStore", "WeMeetDiscovery", "WeMeetChannel",
                "WeMeetCrypto", "WeMeetProcess",
                "WeMeetTestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        .testTarget(
            name: "WeMeetWebTests",
            dependencies: [
                "WeMeetWeb", "WeMeetNode", "WeMeetControl", "WeMeetModel", "WeMeetDiscovery", "WeMeetProcess",
                "WeMeetTestSupport",
            ]),
        .testTarget(
            name: "WeMeetSystemTests",
            dependencies: [
                "WeMeetCLI", "WeMeetProcess", "WeMeetModel", "WeMeetPeers", "WeMeetSync", "WeMeetFriends",
                "WeMeetMessaging",
                "WeMeetGroups", "WeMeetNode", "WeMeetControl", "WeMeetStore", "WeMeetDiscovery", "WeMeetChannel",
                "WeMeetCrypto",
                "WeMeetTestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]),
    ]
)
