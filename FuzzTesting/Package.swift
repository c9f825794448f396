// swift-tools-version:5.3
//
// libFuzzer targets for WeMeet's parsers. Build and run with `scripts/fuzz` (see README).
// A separate package, as in swift-nio-http2's FuzzTesting, so the fuzzer flags never touch
// the main build. Tools version 5.3 and plain `.target`s on purpose: newer tools rename an
// executable's `main`, which clashes with the `main` libFuzzer provides.

import PackageDescription

let package = Package(
    name: "WeMeetFuzzTesting",
    dependencies: [.package(name: "WeMeet", path: "..")],
    targets: [
        .target(
            name: "FuzzChannelResponder",
            dependencies: [.product(name: "WeMeetFuzzHarness", package: "WeMeet")]
        ),
        .target(
            name: "FuzzChannelParsers",
            dependencies: [.product(name: "WeMeetFuzzHarness", package: "WeMeet")]
        ),
        .target(
            name: "FuzzStoreEntry",
            dependencies: [.product(name: "WeMeetFuzzHarness", package: "WeMeet")]
        ),
        .target(
            name: "FuzzNodeMessages",
            dependencies: [.product(name: "WeMeetFuzzHarness", package: "WeMeet")]
        ),
        .target(
            name: "FuzzTXTRecord",
            dependencies: [.product(name: "WeMeetFuzzHarness", package: "WeMeet")]
        ),
        .target(
            name: "FuzzControlJSON",
            dependencies: [.product(name: "WeMeetFuzzHarness", package: "WeMeet")]
        ),
    ]
)
