import Foundation
import HeadroomModel
import Testing

@testable import HeadroomServe

/// What `serve` answers for a path, its pages as served, and when it rebuilds, without a network.
@Suite struct SiteFilesTests {
    /// A site folder with a page, a stylesheet, a folder with an index, a folder without one, a
    /// link inside the site and a link out of it; a secret beside the site.
    static func site() throws -> (SiteFiles, URL) {
        let base = FileManager.default.temporaryDirectory.appending(path: "serve-\(UUID().uuidString)")
        let root = base.appending(path: "public")
        let manager = FileManager.default
        try manager.createDirectory(at: root.appending(path: "weeks/2026-W47"), withIntermediateDirectories: true)
        try manager.createDirectory(at: root.appending(path: "assets"), withIntermediateDirectories: true)
        try Data("<html><body>home</body></html>".utf8).write(to: root.appending(path: "index.html"))
        try Data("<html><body>week</body></html>".utf8).write(to: root.appending(path: "weeks/2026-W47/index.html"))
        try Data("body{}".utf8).write(to: root.appending(path: "assets/site.css"))
        try Data("secret".utf8).write(to: base.appending(path: "headroom.yml"))
        try manager.createSymbolicLink(
            at: root.appending(path: "out.html"), withDestinationURL: base.appending(path: "headroom.yml"))
        try manager.createSymbolicLink(
            at: root.appending(path: "home.html"), withDestinationURL: root.appending(path: "index.html"))
        return (SiteFiles(root: root), base)
    }

    @Test func servesFilesAndFolderIndexes() throws {
        let (files, base) = try Self.site()
        defer { try? FileManager.default.removeItem(at: base) }
        let root = files.root
        #expect(files.answer("/") == .file(root.appending(path: "index.html")))
        #expect(files.answer("/assets/site.css") == .file(root.appending(path: "assets/site.css")))
        #expect(files.answer("/weeks/2026-W47/") == .file(root.appending(path: "weeks/2026-W47/index.html")))
        #expect(files.answer("/weeks/2026-W47") == .redirect("/weeks/2026-W47/"))
        #expect(files.answer("/home.html") == .file(root.appending(path: "index.html")))
        // No listing of a folder without an index; nothing for a missing file.
        #expect(files.answer("/assets/") == .notFound)
        #expect(files.answer("/assets") == .notFound)
        #expect(files.answer("/nothing.html") == .notFound)
        #expect(files.answer("/index.html/") == .notFound)
        #expect(SiteFiles.contentType(root.appending(path: "a.css")) == "text/css; charset=utf-8")
        #expect(SiteFiles.contentType(root.appending(path: "feed.xml")) == "application/atom+xml")
        #expect(SiteFiles.contentType(root.appending(path: "a.svg")) == "image/svg+xml")
    }

    @Test func nothingOutsideTheSiteIsServed() throws {
        let (files, base) = try Self.site()
        defer { try? FileManager.default.removeItem(at: base) }
        for path in [
            "/../headroom.yml", "/%2e%2e/headroom.yml", "/%2E%2E/headroom.yml", "/assets/../../headroom.yml",
            "/..%2fheadroom.yml", "/..%2Fheadroom.yml", "/%2e%2e%2fheadroom.yml", "/..\\headroom.yml",
            "/..%5cheadroom.yml", "/./index.html", "/%2e/index.html", "/index.html%00.css", "/out.html",
            "/%zz", "headroom.yml",
        ] {
            guard case .forbidden = files.answer(path) else {
                Issue.record("\(path) was not refused: \(files.answer(path))")
                continue
            }
        }
    }

    @Test func pagesAsServedCarryTheReloadScriptUnderTheirPolicy() {
        let page = """
            <html><head><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'self'"></head>
            <body><p>x</p></body></html>
            """
        let served = SiteFiles.served(page, generation: 3, failure: nil)
        #expect(
            served.contains("content=\"default-src 'none'; style-src 'self'; script-src 'self'; connect-src 'self'\""))
        #expect(served.contains("<script src=\"/__headroom/reload.js\" data-build=\"3\"></script>\n</body>"))
        #expect(!served.contains("headroom-serve-error"))
        // A page that allows its own scripts keeps its policy and gains the connection.
        let scripted = SiteFiles.served(
            page.replacingOccurrences(of: "style-src 'self'", with: "style-src 'self'; script-src 'self'"),
            generation: 1, failure: nil)
        #expect(scripted.components(separatedBy: "script-src").count == 2)
        // A failed build lays its error over the page, escaped.
        let failure = BuildFailure(
            HeadroomError(
                .configuration, file: "headroom.yml", position: .line(3, column: 5), "unexpected <script>",
                remedy: "indent \"slos\""))
        let failed = SiteFiles.served(page, generation: 4, failure: failure)
        #expect(failed.contains("<h1>The build failed</h1>"))
        #expect(failed.contains("In <code>headroom.yml:3:5</code>: unexpected &lt;script&gt;"))
        #expect(failed.contains("Fix: indent &quot;slos&quot;"))
        #expect(!failed.contains("<script>"))
        #expect(SiteFiles.failurePage(failure, generation: 4).contains("unexpected &lt;script&gt;"))
    }

    @Test func aBurstOfChangesGivesOneBuildAndChangesDuringABuildOneMore() {
        var debounce = Debounce(quiet: 0.2)
        func build(at time: Double) -> Bool { debounce.shouldBuild(at: time) }
        #expect(build(at: 0) == false)
        for time in [1.0, 1.05, 1.1, 1.15] { debounce.changed(at: time) }
        #expect(build(at: 1.2) == false)
        #expect(build(at: 1.4) == true)
        #expect(build(at: 1.5) == false)
        // While that build ran (1.4 to 3.0), two more changes: one build after it, then none.
        debounce.changed(at: 2.0)
        debounce.changed(at: 2.5)
        #expect(build(at: 3.0) == true)
        #expect(build(at: 3.5) == false)
    }

    @Test func theWatcherSeesAddedChangedAndRemovedFilesButNotTheSite() throws {
        let (files, base) = try Self.site()
        defer { try? FileManager.default.removeItem(at: base) }
        let watcher = ProjectWatcher(project: base, ignored: [files.root])
        let before = watcher.scan()
        #expect(before.keys.map { URL(fileURLWithPath: $0).lastPathComponent } == ["headroom.yml"])
        try Data("slos: []\n".utf8).write(to: base.appending(path: "headroom.yml"))
        try FileManager.default.createDirectory(at: base.appending(path: "notes"), withIntermediateDirectories: true)
        try Data("# Week\n".utf8).write(to: base.appending(path: "notes/2026-W47.md"))
        try Data("x".utf8).write(to: files.root.appending(path: "new.html"))
        try FileManager.default.createDirectory(
            at: base.appending(path: ".headroom"), withIntermediateDirectories: true)
        try Data("x".utf8).write(to: base.appending(path: ".headroom/store.sqlite"))
        let after = watcher.scan()
        #expect(
            ProjectWatcher.changes(from: before, to: after).map { URL(fileURLWithPath: $0).lastPathComponent } == [
                "headroom.yml", "2026-W47.md",
            ])
        try FileManager.default.removeItem(at: base.appending(path: "notes/2026-W47.md"))
        #expect(ProjectWatcher.changes(from: after, to: watcher.scan()).count == 1)
    }
}
