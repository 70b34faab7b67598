// swift-tools-version:6.0
import PackageDescription

/// The number-crunching libraries are optimised in debug builds too: the tests build the example's
/// whole weekly archive several times, which takes minutes unoptimised.
let optimised: [SwiftSetting] = [.unsafeFlags(["-O"])]

let package = Package(
    name: "Headroom",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "headroom", targets: ["headroom"]),
        // For the libFuzzer targets of FuzzTesting/, a package of its own.
        .library(name: "HeadroomFuzzEntries", targets: ["HeadroomFuzzEntries"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/swhitty/FlyingFox", exact: "0.27.1"),
    ],
    targets: [
        .target(name: "HeadroomModel", swiftSettings: optimised),
        .target(
            name: "HeadroomIngest",
            dependencies: ["HeadroomModel", "CZlib", .product(name: "Yams", package: "Yams")],
            swiftSettings: optimised,
            plugins: ["EmbedFilesPlugin"]
        ),
        .target(
            name: "HeadroomStore",
            dependencies: [
                "HeadroomModel", "CZlib", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: optimised
        ),
        .target(name: "HeadroomAnalysis", dependencies: ["HeadroomModel"], swiftSettings: optimised),
        .target(name: "HeadroomCharts", dependencies: ["HeadroomModel"], swiftSettings: optimised),
        .systemLibrary(
            name: "CCmarkGFM",
            pkgConfig: "libcmark-gfm",
            providers: [.apt(["libcmark-gfm-dev", "libcmark-gfm-extensions-dev"])]
        ),
        .target(
            name: "HeadroomMarkdown",
            dependencies: ["CCmarkGFM", .product(name: "Yams", package: "Yams")]
        ),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .executableTarget(name: "EmbedFiles", dependencies: ["CZlib"], path: "Plugins/EmbedFilesTool"),
        .plugin(name: "EmbedFilesPlugin", capability: .buildTool(), dependencies: ["EmbedFiles"]),
        .target(
            name: "HeadroomSite",
            dependencies: [
                "HeadroomModel", "HeadroomAnalysis", "HeadroomCharts", "HeadroomMarkdown",
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            plugins: ["EmbedFilesPlugin"]
        ),
        .target(
            name: "HeadroomKit",
            dependencies: [
                "HeadroomModel", "HeadroomIngest", "HeadroomStore", "HeadroomAnalysis", "HeadroomMarkdown",
                "HeadroomSite", "CZlib",
            ],
            plugins: ["EmbedFilesPlugin"]
        ),
        .target(
            name: "HeadroomServe",
            dependencies: [
                "HeadroomKit", "HeadroomModel", .product(name: "FlyingFox", package: "FlyingFox"),
                .product(name: "FlyingSocks", package: "FlyingFox"),
            ]
        ),
        .executableTarget(
            name: "headroom",
            dependencies: [
                "HeadroomKit", "HeadroomServe", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .target(name: "HeadroomTestSupport", dependencies: ["HeadroomModel"], path: "Tests/HeadroomTestSupport"),
        .target(
            name: "HeadroomFuzzEntries",
            dependencies: ["HeadroomModel", "HeadroomIngest", "HeadroomStore", "HeadroomMarkdown", "HeadroomCharts"],
            path: "Tests/FuzzEntries"),
        .testTarget(name: "FuzzCorpusTests", dependencies: ["HeadroomFuzzEntries", "HeadroomTestSupport"]),
        .testTarget(name: "HeadroomModelTests", dependencies: ["HeadroomModel", "HeadroomTestSupport"]),
        .testTarget(name: "HeadroomIngestTests", dependencies: ["HeadroomIngest", "HeadroomTestSupport"]),
        .testTarget(
            name: "HeadroomStoreTests",
            dependencies: [
                "HeadroomStore", "HeadroomIngest", "HeadroomTestSupport", .product(name: "GRDB", package: "GRDB.swift"),
            ]),
        .testTarget(name: "HeadroomAnalysisTests", dependencies: ["HeadroomAnalysis", "HeadroomTestSupport"]),
        .testTarget(name: "HeadroomChartsTests", dependencies: ["HeadroomCharts", "HeadroomTestSupport"]),
        .testTarget(name: "HeadroomMarkdownTests", dependencies: ["HeadroomMarkdown", "HeadroomTestSupport"]),
        .testTarget(
            name: "HeadroomSiteTests",
            dependencies: [
                "HeadroomSite", "HeadroomAnalysis", "HeadroomMarkdown", "HeadroomModel", "HeadroomTestSupport",
            ]),
        .testTarget(
            name: "HeadroomKitTests",
            dependencies: [
                "HeadroomKit", "HeadroomAnalysis", "HeadroomIngest", "HeadroomSite", "HeadroomStore",
                "HeadroomTestSupport",
            ]),
        .testTarget(name: "EndToEndTests", dependencies: ["HeadroomTestSupport"]),
        .testTarget(name: "HeadroomServeTests", dependencies: ["HeadroomServe", "HeadroomTestSupport"]),
    ]
)
