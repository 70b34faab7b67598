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

    @Test func filesWrittenInTheBackgroundArePublishedWhole() throws {
        let root = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let output = root.appending(path: "public")
        try Publisher.publish(files([("index.html", "old")]), to: output)
        let staging = try Publisher.Staging(output)
        let many = (0..<500).map { ("functions/f\($0).html", "page \($0)") }
        try staging.writeInBackground(files(many))
        // A second write waits for the first; the last one is written before the commit.
        try staging.writeInBackground(files([("index.html", "new")]))
        try staging.write(files([("report.json", "{}")]))
        try staging.commit()
        #expect(read(output.appending(path: "index.html")) == "new")
        #expect(read(output.appending(path: "report.json")) == "{}")
        for (path, text) in many { #expect(read(output.appending(path: path)) == text) }
        let marker = try #require(read(output.appending(path: Publisher.marker)))
        #expect(marker.split(separator: "\n").count == 1 + 502)
    }

    @Test func aFailedBackgroundWriteStopsTheCommitAndKeepsTheSite() throws {
        let root = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let output = root.appending(path: "public")
        try Publisher.publish(files([("index.html", "old")]), to: output)
        let staging = try Publisher.Staging(output)
        // A file where the second needs a folder: the background write fails.
        try staging.writeInBackground(files([("a", "file"), ("a/b.html", "page")]))
        #expect(throws: HeadroomError.self) { try staging.commit() }
        #expect(read(output.appending(path: "index.html")) == "old")
        // Nothing is left beside the output.
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.path) == ["public"])
    }

    /// The pid of a process that has ended.
    func endedProcess() throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/true")
        try process.run()
        process.waitUntilExit()
        return process.processIdentifier
    }

    @Test func removesStagingFoldersOfAKilledBuildAndNothingElse() throws {
        let root = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let pid = try endedProcess()
        let manager = FileManager.default
        // A killed build's staging folder (with its marker) and its moved-aside previous site.
        let killed = root.appending(path: ".public.headroom-\(pid)")
        try manager.createDirectory(at: killed.appending(path: "x"), withIntermediateDirectories: true)
        try Data("x".utf8).write(to: killed.appending(path: Publisher.stagingMarker))
        let previous = root.appending(path: ".public.headroom-old-\(pid)")
        try manager.createDirectory(at: previous, withIntermediateDirectories: true)
        try Data("x".utf8).write(to: previous.appending(path: Publisher.marker))
        // Killed between making its staging folder and writing the marker: an empty folder.
        let bare = try endedProcess()
        try manager.createDirectory(
            at: root.appending(path: ".public.headroom-\(bare)"), withIntermediateDirectories: true)
        // Folders that only look alike: a user's, without a marker, and one of a live process.
        let lookalikes = [
            ".public.headroom-\(pid + 100_000)", ".public.headroom-notes", ".public.headroom-\(getppid())",
        ]
        for name in lookalikes {
            try manager.createDirectory(at: root.appending(path: name), withIntermediateDirectories: true)
            try Data("mine".utf8).write(to: root.appending(path: "\(name)/thesis.tex"))
        }
        try Data("x".utf8).write(to: root.appending(path: ".public.headroom-\(getppid())/\(Publisher.stagingMarker)"))
        try Publisher.publish(files([("index.html", "x")]), to: root.appending(path: "public"))
        #expect(try manager.contentsOfDirectory(atPath: root.path).sorted() == (["public"] + lookalikes).sorted())
        for name in lookalikes { #expect(read(root.appending(path: "\(name)/thesis.tex")) == "mine") }
        #expect(!manager.fileExists(atPath: root.appending(path: "public/\(Publisher.stagingMarker)").path))
    }

    @Test func aStrayMarkerDoesNotMakeAFolderReplaceable() throws {
        let root = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let output = root.appending(path: "public")
        try Publisher.publish(files([("index.html", "one"), ("a/b.html", "b")]), to: output)
        // The marker lists the site's files; a file added by hand stops the next build.
        let marker = try #require(read(output.appending(path: Publisher.marker)))
        #expect(marker == "\(Publisher.markerHeading)\na/b.html\nindex.html\n")
        try Data("mine".utf8).write(to: output.appending(path: "notes.txt"))
        #expect(throws: HeadroomError.self) { try Publisher.publish(files([("index.html", "two")]), to: output) }
        #expect(read(output.appending(path: "notes.txt")) == "mine")
        // A copy of the marker, old or new, in someone's folder.
        for text in ["Built by Headroom.\n", marker] {
            let home = root.appending(path: "home-\(text.count)")
            try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
            try Data("keep".utf8).write(to: home.appending(path: "thesis.tex"))
            try Data(text.utf8).write(to: home.appending(path: Publisher.marker))
            do {
                try Publisher.publish(files([("index.html", "x")]), to: home)
                Issue.record("replaced")
            } catch {
                #expect(error.message.contains("left untouched"), "\(error)")
            }
            #expect(read(home.appending(path: "thesis.tex")) == "keep")
        }
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
