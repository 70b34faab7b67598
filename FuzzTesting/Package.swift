// swift-tools-version:5.4
// libFuzzer targets, one per parser family, in a package of their own: `./run` builds them with
// the address sanitiser and libFuzzer's coverage, which the main package's tests must not get, and
// runs them. Tools version 5.4, as swift-protobuf's fuzz package does: later versions rename an
// executable's `main`, and libFuzzer brings its own. Each main.swift is compiled as a library
// (-parse-as-library) and defines only LLVMFuzzerTestOneInput. What each target feeds where is in
// Tests/FuzzEntries/FuzzEntries.swift of the main package.
import PackageDescription

let entries: [Target.Dependency] = [.product(name: "HeadroomFuzzEntries", package: "Headroom")]
// libFuzzer's `main` is linked into these targets only: the build tool of the main package (an
// executable of its own) gets the coverage instrumentation from `run` but no second `main`.
let fuzzer: [SwiftSetting] = [.unsafeFlags(["-sanitize=fuzzer,address", "-parse-as-library"])]
let linkFuzzer: [LinkerSetting] = [.unsafeFlags(["-sanitize=fuzzer,address"])]

let package = Package(
    name: "FuzzTesting",
    dependencies: [.package(name: "Headroom", path: "..")],
    targets: [
        .executableTarget(name: "FuzzJSON", dependencies: entries, swiftSettings: fuzzer, linkerSettings: linkFuzzer),
        .executableTarget(name: "FuzzYAML", dependencies: entries, swiftSettings: fuzzer, linkerSettings: linkFuzzer),
        .executableTarget(name: "FuzzCSV", dependencies: entries, swiftSettings: fuzzer, linkerSettings: linkFuzzer),
        .executableTarget(name: "FuzzText", dependencies: entries, swiftSettings: fuzzer, linkerSettings: linkFuzzer),
        .executableTarget(name: "FuzzMarkdown", dependencies: entries, swiftSettings: fuzzer, linkerSettings: linkFuzzer),
        .executableTarget(name: "FuzzCharts", dependencies: entries, swiftSettings: fuzzer, linkerSettings: linkFuzzer),
        .executableTarget(name: "FuzzStore", dependencies: entries, swiftSettings: fuzzer, linkerSettings: linkFuzzer),
    ]
)
