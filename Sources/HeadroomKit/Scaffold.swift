import Foundation
import HeadroomModel

/// `headroom init`: a report project that builds as it stands.
public enum Scaffold {
    public static let configuration = """
        # Headroom report project. Reference: the "Configuration" section of Headroom's README.
        title: Operations review
        # baseURL: https://ops.example.com/review/   # where the site is published (optional)
        timeZone: UTC            # IANA zone; weeks are ISO weeks in this zone
        currency: USD
        week: latest             # or an ISO week such as 2026-W47
        sources:
          - snapshots            # files and folders of AWS CLI output, formats detected by content
        services: []
        # services:
        #   - name: checkout
        #     description: Orders and payments
        #     match: ["checkout-*", "payment-*"]   # Lambda function names
        notes: notes             # notes/<ISO week>.md, Markdown with front matter
        templates: templates     # overrides of the built-in theme, file by file
        onInvalidInput: fail     # or warn: skip invalid files and show a warning

        """

    static let files: [(String, String)] = [
        ("headroom.yml", configuration),
        (".gitignore", "public/\n.headroom/\n"),
        (
            "snapshots/README.md",
            """
            One folder per ISO week of AWS CLI output. `scripts/collect-aws.sh` fills one week:

                scripts/collect-aws.sh                  # the previous week, in headroom.yml's time zone
                scripts/collect-aws.sh --week 2026-W47  # a given week

            `headroom build` keeps what it read in the history store (.headroom/), so a week that was
            built once may leave this folder: the site's archive, trends and finding history come
            from the store. In CI, scripts/history.sh archives each week as snapshots-<week>.tar.gz.

            """
        ),
        (
            "notes/README.md.example",
            """
            ---
            week: 2026-W47
            authors: [Your Name]
            ---
            Rename this file to the ISO week it describes (2026-W47.md); it appears on that week's overview.

            """
        ),
    ]

    /// The CI examples and the collector, from `scaffold/` and `scripts/` (embedded in the binary):
    /// where `headroom init` writes them, the embedded file, and whether it is executable.
    static let pipelines: [(path: String, embedded: String, executable: Bool)] = [
        (".github/workflows/headroom.yml", "github-actions.yml", false),
        (".gitlab-ci.yml", "gitlab-ci.yml", false),
        ("scripts/collect-aws.sh", "scripts/collect-aws.sh", true),
        ("scripts/history.sh", "scripts/history.sh", true),
    ]

    /// Writes the project into `directory`, creating it. Refuses to overwrite an existing project.
    /// With `example`, the project is `examples/acme`'s (its configuration, checks, notes, SLOs and
    /// seven weeks of snapshots) plus the collector and the CI examples.
    public static func write(to directory: URL, example: Bool = false) throws(HeadroomError) -> [String] {
        let manager = FileManager.default
        let configuration = directory.appending(path: "headroom.yml")
        guard !manager.fileExists(atPath: configuration.path) else {
            throw HeadroomError(
                .usage, file: configuration.path, "a report project already exists here; nothing was changed",
                remedy: "run headroom build, or init another folder")
        }
        var written: [String] = []
        do {
            try manager.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw HeadroomError(.usage, file: directory.path, "cannot create the folder", underlying: error)
        }
        let root = ProjectFile.realPath(directory.path) ?? directory.path
        let exampleFiles = example ? try ExampleProject.files() : []
        let examplePaths = Set(exampleFiles.map(\.path))
        let all =
            exampleFiles.map { (path: $0.path, data: $0.data, executable: false) }
            + files.filter { !examplePaths.contains($0.0) }.map {
                (path: $0.0, data: Data($0.1.utf8), executable: false)
            }
            + pipelines.map {
                (path: $0.path, data: Data((EmbeddedScaffold.files[$0.embedded] ?? "").utf8), executable: $0.executable)
            }
        for (path, data, executable) in all {
            let target = directory.appending(path: path)
            // Whatever is there already, even a link, is kept and never followed.
            var info = stat()
            guard lstat(target.path, &info) != 0 else { continue }
            do {
                try manager.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            } catch {
                throw HeadroomError(.usage, file: target.path, "cannot write the file", underlying: error)
            }
            // A folder of the project that is a link out of it (scripts -> /elsewhere) is not written into.
            let folder = ProjectFile.realPath(target.deletingLastPathComponent().path) ?? ""
            guard folder == root || folder.hasPrefix(root + "/") else {
                throw HeadroomError(
                    .usage, file: target.path,
                    "the folder is a symbolic link out of the project; nothing is written through it",
                    remedy: "remove the link, or init another folder")
            }
            try OutputFile.write(data, to: target.path, what: "a scaffold file", replaces: { _ in false })
            if executable { chmod(target.path, 0o755) }
            written.append(path)
        }
        return written
    }
}
