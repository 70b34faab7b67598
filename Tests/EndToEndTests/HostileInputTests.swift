import Foundation
import HeadroomTestSupport
import Testing

/// Regression tests for the hostile and broken inputs of the attack campaign: each case is built
/// as it was described, and run through the real binary, so a Swift runtime trap (exit 132) fails
/// the test as a crash would fail a user.
@Suite(.serialized) struct HostileInputTests {
    let binary = BinaryTests()

    /// A scaffolded project in a fresh folder, with a secret file beside it (outside the project).
    func project() throws -> (project: URL, folder: URL) {
        let folder = try TestSupport.temporaryDirectory("headroom-hostile")
        let created = try binary.headroom(["init", "ops"], in: folder)
        #expect(created.status == 0, "\(created.stderr)")
        try Data("AWS_SECRET_ACCESS_KEY=do-not-publish\n".utf8).write(to: folder.appending(path: "secret.txt"))
        return (folder.appending(path: "ops"), folder)
    }

    func link(_ path: String, in project: URL, to destination: String) throws {
        let url = project.appending(path: path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: url.path, withDestinationPath: destination)
    }

    /// Every byte the build wrote, as text.
    func everythingWritten(_ folder: URL) throws -> String {
        try binary.tree(folder).values.map { String(decoding: $0, as: UTF8.self) }.joined(separator: "\n")
    }

    @Test func aNoteLinkedOutOfTheProjectIsAnErrorAndPublishesNothing() throws {
        let (project, folder) = try project()
        defer { try? FileManager.default.removeItem(at: folder) }
        for target in ["/proc/self/environ", "../../secret.txt", "/etc/passwd"] {
            try? FileManager.default.removeItem(at: project.appending(path: "notes/2026-W47.md"))
            try link("notes/2026-W47.md", in: project, to: target)
            let built = try binary.headroom(["build"], in: project)
            #expect(built.status == 1, "\(target): \(built.stderr)")
            #expect(
                built.stderr.contains("notes/2026-W47.md: a symbolic link that leaves the project is not followed"),
                "\(built.stderr)")
            #expect(!FileManager.default.fileExists(atPath: project.appending(path: "public").path))
        }
    }

    @Test func rulesTemplatesPricesAndTheConfigurationAreNotReadThroughLinksOut() throws {
        let (project, folder) = try project()
        defer { try? FileManager.default.removeItem(at: folder) }
        let cases: [(String, String?)] = [
            ("checks/mine.yml", nil), ("templates/pages/overview.mustache", nil),
            ("prices.yml", "cost: {lambdaPrices: prices.yml}\n"),
        ]
        let configuration = try String(contentsOf: project.appending(path: "headroom.yml"), encoding: .utf8)
        for (path, addition) in cases {
            try link(path, in: project, to: folder.appending(path: "secret.txt").path)
            try Data((configuration + (addition ?? "")).utf8).write(to: project.appending(path: "headroom.yml"))
            let built = try binary.headroom(["build"], in: project)
            #expect(built.status == 2, "\(path): \(built.stderr)")
            #expect(built.stderr.contains("\(path): a symbolic link that leaves the project"), "\(built.stderr)")
            #expect(!built.stderr.contains("do-not-publish"))
            try FileManager.default.removeItem(at: project.appending(path: path))
        }
        try FileManager.default.removeItem(at: project.appending(path: "headroom.yml"))
        try link("headroom.yml", in: project, to: folder.appending(path: "secret.txt").path)
        let built = try binary.headroom(["build"], in: project)
        #expect(built.status == 2 && built.stderr.contains("headroom.yml: a symbolic link that leaves the project"))
    }

    @Test func snapshotsThatAreLinksOutFIFOsOrFoldersAreListedAsNotReadAndNothingHangs() throws {
        let (project, folder) = try project()
        defer { try? FileManager.default.removeItem(at: folder) }
        let week = project.appending(path: "snapshots/2026-W47")
        try FileManager.default.createDirectory(at: week, withIntermediateDirectories: true)
        try link("snapshots/2026-W47/environ.json", in: project, to: "/proc/self/environ")
        try link("snapshots/2026-W47/secret.log", in: project, to: folder.appending(path: "secret.txt").path)
        try link("snapshots/2026-W47/etc", in: project, to: "/etc")
        #expect(mkfifo(week.appending(path: "pipe.json").path, 0o600) == 0)
        let built = try binary.headroom(["build"], in: project)
        #expect(built.status == 0, "\(built.stderr)")
        let sources = try String(contentsOf: project.appending(path: "public/sources.html"), encoding: .utf8)
        for name in ["environ.json", "secret.log", "etc"] {
            #expect(sources.contains("snapshots/2026-W47/\(name)"), "\(name) is not listed")
        }
        #expect(sources.contains("a symbolic link that leaves the project is not followed"))
        #expect(sources.contains("a FIFO (named pipe) is not read"))
        let written = try everythingWritten(project.appending(path: "public"))
        #expect(!written.contains("do-not-publish") && !written.contains("PATH=") && !written.contains("root:x:0"))
    }
}
