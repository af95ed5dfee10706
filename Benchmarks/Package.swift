// swift-tools-version:6.1
// Benchmarks for RecoupCore's hot paths, built with ordo-one/benchmark.
//
// A separate package so that `swift build` and `swift test` of the root package never build the benchmark
// tooling. Run from this directory: `swift package benchmark` (see README.md).
import PackageDescription

let package = Package(
    name: "RecoupBenchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        // Only the malloc interposer: the default traits also enable RuntimeInterposer on Linux with Swift 6.3,
        // which needs a package this machine cannot fetch.
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.0", traits: ["MallocInterposer"]),
        .package(name: "Recoup", path: ".."),
        .package(url: "https://github.com/vapor/vapor.git", from: "4.122.0"),
        .package(url: "https://github.com/vapor/sql-kit.git", from: "3.36.0"),
    ],
    targets: [
        // The anchor for the HTTP benchmark (Benchmarks/http-benchmark.sh): a Vapor app with one bare route.
        .executableTarget(
            name: "BareVapor",
            dependencies: [.product(name: "Vapor", package: "vapor")],
            path: "Benchmarks/BareVapor"
        ),
        .executableTarget(
            name: "RecoupCoreBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "RecoupCore", package: "Recoup"),
            ],
            path: "Benchmarks/RecoupCoreBenchmarks",
            plugins: [
                .plugin(name: "BenchmarkPlugin", package: "benchmark")
            ]
        ),
        .executableTarget(
            name: "ComplianceBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "RecoupCore", package: "Recoup"),
            ],
            path: "Benchmarks/ComplianceBenchmarks",
            plugins: [
                .plugin(name: "BenchmarkPlugin", package: "benchmark")
            ]
        ),
        // The message lint and its phrase matcher on a letter and a 100 KB text (issue 12).
        .executableTarget(
            name: "MessageLintBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "RecoupCore", package: "Recoup"),
            ],
            path: "Benchmarks/MessageLintBenchmarks",
            plugins: [
                .plugin(name: "BenchmarkPlugin", package: "benchmark")
            ]
        ),
        // A one-page letter laid out and written as PDF bytes (issue 15).
        .executableTarget(
            name: "LetterBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "RecoupCore", package: "Recoup"),
            ],
            path: "Benchmarks/LetterBenchmarks",
            plugins: [
                .plugin(name: "BenchmarkPlugin", package: "benchmark")
            ]
        ),
        // A compliance decision for a stored debtor, from the database (SQLite; PostgreSQL when
        // RECOUP_BENCH_POSTGRES_URL is set).
        .executableTarget(
            name: "StoredDecisionBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "RecoupCore", package: "Recoup"),
                .product(name: "RecoupStore", package: "Recoup"),
                .product(name: "SQLKit", package: "sql-kit"),
            ],
            path: "Benchmarks/StoredDecisionBenchmarks",
            plugins: [
                .plugin(name: "BenchmarkPlugin", package: "benchmark")
            ]
        ),
    ]
)
