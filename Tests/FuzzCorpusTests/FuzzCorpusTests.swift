import Foundation
import HeadroomFuzzEntries
import HeadroomTestSupport
import Testing

/// Every input a fuzz target once crashed or hung on (`Tests/Fixtures/fuzz/<entry>/`), replayed
/// through the same entry as the target; and every fixture of the project through the entry of its
/// family, as the fuzzers' seed corpus is. A trap fails the whole test run, as it would a build.
@Suite struct FuzzCorpusTests {
    static let folder = TestSupport.packageRoot.appending(path: "Tests/Fixtures/fuzz")

    static func files(_ folder: URL) -> [URL] {
        let found = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)
        return (found?.compactMap { $0 as? URL } ?? []).filter { !$0.hasDirectoryPath }.sorted { $0.path < $1.path }
    }

    @Test(arguments: FuzzEntry.allCases) func crashesFoundOnceStayFixed(_ entry: FuzzEntry) {
        for file in Self.files(Self.folder.appending(path: entry.rawValue)) {
            guard let data = try? Data(contentsOf: file) else { continue }
            entry.run(data)
        }
    }

    @Test func everyEntryHasAFolderThatExplainsIt() throws {
        for entry in FuzzEntry.allCases {
            let readme = Self.folder.appending(path: entry.rawValue)
            #expect(FileManager.default.fileExists(atPath: readme.path), "\(entry): no Tests/Fixtures/fuzz/\(entry)")
        }
    }
}
