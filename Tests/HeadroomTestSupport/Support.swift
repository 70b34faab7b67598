import Foundation

/// Paths and helpers shared by the test targets.
public enum TestSupport {
    /// The package root, found from this source file's location.
    public static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `Tests/Fixtures/<path>`.
    public static func fixture(_ path: String) -> URL {
        packageRoot.appending(path: "Tests/Fixtures").appending(path: path)
    }

    public static func fixtureData(_ path: String) throws -> Data { try Data(contentsOf: fixture(path)) }

    /// A new empty folder under the system's temporary folder.
    public static func temporaryDirectory(_ name: String = "headroom-test") throws -> URL {
        let url = FileManager.default.temporaryDirectory.appending(path: "\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Compares `actual` with the golden file `Tests/Fixtures/golden/<name>`. With
    /// `HEADROOM_RECORD=1` in the environment the golden file is (re)written instead; review it.
    public static func assertGolden(_ actual: String, named name: String) throws -> String? {
        let url = fixture("golden/\(name)")
        if ProcessInfo.processInfo.environment["HEADROOM_RECORD"] == "1" {
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(actual.utf8).write(to: url)
            return nil
        }
        guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
            return "no golden file \(url.path); record it with HEADROOM_RECORD=1 and review it"
        }
        guard expected != actual else { return nil }
        let a = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let b = actual.split(separator: "\n", omittingEmptySubsequences: false)
        let line = zip(a, b).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(a.count, b.count)
        return
            "\(name) differs from its golden file at line \(line + 1):\n  expected: \(line < a.count ? String(a[line]) : "<end>")\n  actual:   \(line < b.count ? String(b[line]) : "<end>")"
    }

    /// Runs a program and returns its exit status, standard output and standard error.
    public static func run(
        _ executable: URL, _ arguments: [String], in directory: URL? = nil
    ) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (
            process.terminationStatus, String(decoding: outData, as: UTF8.self),
            String(decoding: errData, as: UTF8.self)
        )
    }
}
