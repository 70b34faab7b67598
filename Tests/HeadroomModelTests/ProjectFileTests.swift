import Foundation
import HeadroomModel
import Testing

/// The one rule for opening input files: regular files inside the project, through any links that
/// stay inside it; nothing else.
@Suite struct ProjectFileTests {
    func project() throws -> (root: URL, outside: URL) {
        let base = FileManager.default.temporaryDirectory.appending(path: "headroom-file-\(UUID().uuidString)")
        let root = base.appending(path: "project")
        try FileManager.default.createDirectory(at: root.appending(path: "notes"), withIntermediateDirectories: true)
        try Data("SECRET=1\n".utf8).write(to: base.appending(path: "secret.txt"))
        try Data("inside\n".utf8).write(to: root.appending(path: "notes/real.md"))
        return (root, base)
    }

    @Test func readsRegularFilesAndLinksThatStayInside() throws {
        let (root, base) = try project()
        defer { try? FileManager.default.removeItem(at: base) }
        try FileManager.default.createSymbolicLink(
            atPath: root.appending(path: "notes/link.md").path, withDestinationPath: "real.md")
        for name in ["real.md", "link.md"] {
            let data = try ProjectFile.read(
                root.appending(path: "notes/\(name)").path, display: name, root: root.path, limit: 100, stage: .ingest)
            #expect(String(decoding: data, as: UTF8.self) == "inside\n")
        }
    }

    @Test func refusesLinksOutFoldersFIFOsAndDevicesByName() throws {
        let (root, base) = try project()
        defer { try? FileManager.default.removeItem(at: base) }
        let notes = root.appending(path: "notes")
        try FileManager.default.createSymbolicLink(
            atPath: notes.appending(path: "environ.md").path, withDestinationPath: "/proc/self/environ")
        try FileManager.default.createSymbolicLink(
            atPath: notes.appending(path: "up.md").path, withDestinationPath: "../../secret.txt")
        try FileManager.default.createSymbolicLink(
            atPath: notes.appending(path: "null.md").path, withDestinationPath: "/dev/null")
        try FileManager.default.createSymbolicLink(
            atPath: notes.appending(path: "gone.md").path, withDestinationPath: "nowhere.md")
        try FileManager.default.createDirectory(
            at: notes.appending(path: "folder.md"), withIntermediateDirectories: true)
        #expect(mkfifo(notes.appending(path: "pipe.md").path, 0o600) == 0)
        // A folder of the project that is itself a link out: every file under it is outside.
        try FileManager.default.createSymbolicLink(
            atPath: root.appending(path: "etc").path, withDestinationPath: "/etc")
        let cases: [(String, String)] = [
            ("notes/environ.md", "leaves the project"), ("notes/up.md", "leaves the project"),
            ("notes/null.md", "leaves the project"), ("notes/gone.md", "a symbolic link to nothing"),
            ("notes/folder.md", "a folder is not read"), ("notes/pipe.md", "a FIFO (named pipe) is not read"),
            ("etc/passwd", "leaves the project"),
        ]
        for (path, reason) in cases {
            let full = root.appending(path: path).path
            #expect(ProjectFile.refusal(full, root: root.path)?.contains(reason) == true, "\(path)")
            do {
                _ = try ProjectFile.read(full, display: path, root: root.path, limit: 1 << 20, stage: .ingest)
                Issue.record("\(path) was read")
            } catch {
                #expect(error.file == path && error.message.contains(reason), "\(error)")
                #expect(!error.description.contains("SECRET"))
            }
        }
        // A device inside the root is refused as a device.
        #expect(ProjectFile.refusal("/dev/null", root: "/")?.contains("a device is not read") == true)
    }

    @Test func refusesFilesOverTheLimit() throws {
        let (root, base) = try project()
        defer { try? FileManager.default.removeItem(at: base) }
        #expect(throws: HeadroomError.self) {
            try ProjectFile.read(
                root.appending(path: "notes/real.md").path, display: "x", root: root.path, limit: 3, stage: .ingest)
        }
    }

    @Test func invalidUTF8IsNamedByLineAndColumn() throws {
        let data = Data("ok\nab".utf8) + Data([0xFF]) + Data("c\n".utf8)
        do {
            _ = try ProjectFile.text(data, display: "notes/2026-W47.md", stage: .ingest)
            Issue.record("accepted")
        } catch {
            #expect(error.location == "notes/2026-W47.md:2:3", "\(error)")
        }
        #expect(try ProjectFile.text(Data("é\n".utf8), display: "x", stage: .ingest) == "é\n")
    }
}
