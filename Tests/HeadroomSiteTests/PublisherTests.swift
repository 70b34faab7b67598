import Foundation
import HeadroomModel
import HeadroomTestSupport
import Testing

@testable import HeadroomSite

@Suite struct PublisherTests {
    func files(_ pairs: [(String, String)]) -> [SiteFile] {
        pairs.map { SiteFile(path: $0.0, contents: Data($0.1.utf8)) }
    }

    func read(_ url: URL) -> String? { try? String(contentsOf: url, encoding: .utf8) }

    @Test func publishesAndReplacesAtomically() throws {
        let root = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let output = root.appending(path: "public")
        try Publisher.publish(files([("index.html", "one"), ("functions/a.html", "a")]), to: output)
        #expect(read(output.appending(path: "index.html")) == "one")
        #expect(read(output.appending(path: "functions/a.html")) == "a")
        #expect(FileManager.default.fileExists(atPath: output.appending(path: Publisher.marker).path))

        try Publisher.publish(files([("index.html", "two")]), to: output)
        #expect(read(output.appending(path: "index.html")) == "two")
        #expect(!FileManager.default.fileExists(atPath: output.appending(path: "functions/a.html").path))
        // Nothing is left beside the output.
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.path) == ["public"])
    }

    @Test func removesStagingFoldersOfAKilledBuild() throws {
        let root = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createDirectory(
            at: root.appending(path: ".public.headroom-12345/x"), withIntermediateDirectories: true)
        try Publisher.publish(files([("index.html", "x")]), to: root.appending(path: "public"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.path) == ["public"])
    }

    @Test func neverReplacesAFolderItDidNotBuild() throws {
        let root = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let precious = root.appending(path: "home")
        try FileManager.default.createDirectory(at: precious, withIntermediateDirectories: true)
        try Data("keep".utf8).write(to: precious.appending(path: "thesis.tex"))
        #expect(throws: HeadroomError.self) { try Publisher.publish(files([("index.html", "x")]), to: precious) }
        #expect(read(precious.appending(path: "thesis.tex")) == "keep")
        let file = root.appending(path: "file")
        try Data("x".utf8).write(to: file)
        #expect(throws: HeadroomError.self) { try Publisher.publish(files([("index.html", "x")]), to: file) }
        // An empty folder is fine.
        let empty = root.appending(path: "empty")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        try Publisher.publish(files([("index.html", "x")]), to: empty)
        #expect(read(empty.appending(path: "index.html")) == "x")
    }
}
