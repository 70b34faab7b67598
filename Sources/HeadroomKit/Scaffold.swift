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
            Put AWS CLI output here, one folder per ISO week, for example:

                aws cloudwatch get-metric-data --metric-data-queries file://snapshots/2026-W47/lambda.query.json \\
                    --start-time 2026-11-16T00:00:00Z --end-time 2026-11-23T00:00:00Z \\
                    > snapshots/2026-W47/lambda.json

            Keep the queries file beside the results as `<name>.query.json`.

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

    /// Writes the project into `directory`, creating it. Refuses to overwrite an existing project.
    public static func write(to directory: URL) throws(HeadroomError) -> [String] {
        let manager = FileManager.default
        let configuration = directory.appending(path: "headroom.yml")
        guard !manager.fileExists(atPath: configuration.path) else {
            throw HeadroomError(
                .usage, file: configuration.path, "a report project already exists here; nothing was changed",
                remedy: "run headroom build, or init another folder")
        }
        var written: [String] = []
        for (path, text) in files {
            let target = directory.appending(path: path)
            guard !manager.fileExists(atPath: target.path) else { continue }
            do {
                try manager.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(text.utf8).write(to: target)
            } catch {
                throw HeadroomError(.usage, file: target.path, "cannot write the file", underlying: error)
            }
            written.append(path)
        }
        return written
    }
}
