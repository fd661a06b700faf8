// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "profint-guide",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "profint", targets: ["profint"]),
        .library(name: "ProfintCore", targets: ["ProfintCore"]),
        .library(name: "ProfintContent", targets: ["ProfintContent"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.0.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
    ],
    targets: [
        // Pure engine: normalization, language detection, stemming, matching,
        // dialogue state. No I/O, no clock, no randomness, no dependencies.
        .target(name: "ProfintCore"),
        // Loads and validates Intents/ and Knowledge/ into ProfintCore values.
        .target(
            name: "ProfintContent",
            dependencies: ["ProfintCore", .product(name: "Yams", package: "Yams")]
        ),
        .executableTarget(
            name: "profint",
            dependencies: [
                "ProfintCore", "ProfintContent",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "ProfintCoreTests", dependencies: ["ProfintCore"], exclude: ["Fixtures"]),
        .testTarget(name: "ProfintContentTests", dependencies: ["ProfintContent", "ProfintCore"]),
        .testTarget(name: "ProfintCLITests", dependencies: ["profint"]),
    ],
    swiftLanguageModes: [.v6]
)
