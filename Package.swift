// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "profint-guide",
    // Synchronization.Mutex and Atomic need macOS 15.
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "profint", targets: ["profint"]),
        .library(name: "ProfintCore", targets: ["ProfintCore"]),
        .library(name: "ProfintContent", targets: ["ProfintContent"]),
        .library(name: "ProfintStore", targets: ["ProfintStore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.0.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.0.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.0.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.20.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.0.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.60.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.5.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.0.0"),
    ],
    targets: [
        // Pure engine: normalization, language detection, stemming, matching,
        // dialogue state. No I/O, no clock, no randomness, no dependencies.
        // Optimized even in debug builds: the engine computes its weights when
        // the content loads, which takes seconds unoptimized.
        .target(name: "ProfintCore", swiftSettings: [.unsafeFlags(["-O"])]),
        // Loads and validates Intents/ and Knowledge/ into ProfintCore values.
        .target(
            name: "ProfintContent",
            dependencies: ["ProfintCore", .product(name: "Yams", package: "Yams")]
        ),
        // SQLite through GRDB: versioned migrations, the knowledge FTS5 index.
        .target(
            name: "ProfintStore",
            dependencies: ["ProfintCore", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        // Telegram payloads and replies: pure translation, no network.
        .target(name: "ProfintTelegram", dependencies: ["ProfintCore"]),
        // Matrix application-service events and replies: pure translation, no network.
        .target(name: "ProfintMatrix", dependencies: ["ProfintCore"]),
        // `profint serve`: Hummingbird routes, the outbox sender, channels.
        .target(
            name: "ProfintServer",
            dependencies: [
                "ProfintCore", "ProfintContent", "ProfintStore", "ProfintTelegram", "ProfintMatrix",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "profint",
            dependencies: [
                "ProfintCore", "ProfintContent", "ProfintStore", "ProfintServer", "ProfintTelegram", "ProfintMatrix",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(name: "ProfintCoreTests", dependencies: ["ProfintCore"], exclude: ["Fixtures"]),
        .testTarget(name: "ProfintContentTests", dependencies: ["ProfintContent", "ProfintCore"]),
        .testTarget(name: "ProfintStoreTests", dependencies: ["ProfintStore", "ProfintContent", "ProfintCore"]),
        .testTarget(name: "ProfintTelegramTests", dependencies: ["ProfintTelegram", "ProfintCore"], exclude: ["Fixtures"]),
        .testTarget(name: "ProfintMatrixTests", dependencies: ["ProfintMatrix", "ProfintCore"], exclude: ["Fixtures"]),
        .testTarget(
            name: "ProfintServerTests",
            dependencies: [
                "ProfintServer", "ProfintStore", "ProfintTelegram", "ProfintMatrix", "ProfintCore",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(name: "ProfintCLITests", dependencies: ["profint"]),
    ],
    swiftLanguageModes: [.v6]
)
