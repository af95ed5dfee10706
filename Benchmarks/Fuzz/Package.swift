// swift-tools-version:6.1
// libFuzzer targets for RecoupCore's parsers and calculators that take outside input.
//
// A separate package so that `swift build` of the root package never builds it. It depends on RecoupCore only
// (Foundation and nothing else), so the root's server dependencies are resolved but never compiled here.
// Build and run through `Benchmarks/fuzz.sh` (docs/fuzzing.md), which passes `-sanitize=fuzzer,address`.
import PackageDescription

let package = Package(
    name: "RecoupFuzz",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "Recoup", path: "../..")
    ],
    targets: [
        // One binary; `FUZZ_TARGET` names the target each run exercises (see FuzzTarget.swift).
        .executableTarget(
            name: "RecoupFuzz",
            dependencies: ["FuzzerEntry", .product(name: "RecoupCore", package: "Recoup")],
            swiftSettings: [.enableUpcomingFeature("ExistentialAny")]
        ),
        // The program's `main`, which starts libFuzzer (see FuzzerEntry.c).
        .target(name: "FuzzerEntry"),
    ]
)
