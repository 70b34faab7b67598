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

    /// The example's last week alone, in a fresh folder, for a case to change.
    func exampleWeek() throws -> (project: URL, folder: URL) {
        let folder = try TestSupport.temporaryDirectory("headroom-hostile")
        let project = folder.appending(path: "acme")
        try FileManager.default.copyItem(at: BinaryTests.example, to: project)
        for name in ["public", ".headroom"] { try? FileManager.default.removeItem(at: project.appending(path: name)) }
        let snapshots = project.appending(path: "snapshots")
        for week in try FileManager.default.contentsOfDirectory(atPath: snapshots.path) where week != "2026-W47" {
            try FileManager.default.removeItem(at: snapshots.appending(path: week))
        }
        return (project, folder)
    }

    func replace(_ path: String, in project: URL, _ old: String, with new: String) throws {
        let url = project.appending(path: path)
        let text = try String(contentsOf: url, encoding: .utf8)
        #expect(text.contains(old), "\(path) has no \(old)")
        try Data(text.replacingOccurrences(of: old, with: new).utf8).write(to: url)
    }

    /// Every value of every Invocations series of the Lambda metrics set to `value`.
    func setEveryInvocation(in project: URL, to value: Double) throws {
        let url = project.appending(path: "snapshots/2026-W47/cloudwatch-lambda.json")
        var document = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
        var results = document["MetricDataResults"] as! [[String: Any]]
        for index in results.indices where (results[index]["Label"] as! String).hasSuffix("Invocations") {
            results[index]["Values"] = (results[index]["Values"] as! [Any]).map { _ in value }
        }
        document["MetricDataResults"] = results
        try JSONSerialization.data(withJSONObject: document).write(to: url)
    }

    /// The seven inputs that trapped the binary (exit 132) and the window that hung it: each now
    /// builds, with a warning where a value is dropped, or stops with an error at its position.
    @Test func inputsThatOnceTrappedOrHungEndInAnErrorOrAWarning() throws {
        let metrics = "snapshots/2026-W47/cloudwatch-lambda.json"
        let first = "\"2026-11-22T22:00:00+00:00\""
        let cases: [(name: String, change: (URL) throws -> Void, status: Int32, says: String)] = [
            ("a metric value of 1.7e308", { try self.replace(metrics, in: $0, "3394.0", with: "1.7e308") }, 0, ""),
            (
                "a 40-digit integer",
                { try self.replace(metrics, in: $0, "3394.0", with: String(repeating: "1", count: 40)) },
                0, ""
            ),
            ("every invocation 1.7e308", { try self.setEveryInvocation(in: $0, to: 1.7e308) }, 0, ""),
            (
                "a timestamp in year 1",
                { try self.replace(metrics, in: $0, first, with: "\"0001-01-01T00:00:00+00:00\"") },
                1, "\(metrics) at $.MetricDataResults[0].Timestamps[0]: not a timestamp"
            ),
            (
                "a negative epoch", { try self.replace(metrics, in: $0, first, with: "-99999999999") }, 1,
                "\(metrics) at $.MetricDataResults[0].Timestamps[0]: not a timestamp"
            ),
            (
                "week: 0000-W01", { try self.replace("headroom.yml", in: $0, "week: latest", with: "week: 0000-W01") },
                2,
                "headroom.yml:6:7: week must be an ISO week"
            ),
            (
                "week: 9999-W01", { try self.replace("headroom.yml", in: $0, "week: latest", with: "week: 9999-W01") },
                2,
                "headroom.yml:6:7: week must be an ISO week"
            ),
            (
                "health: {lowVolume: 1e19}",
                {
                    try self.replace(
                        "headroom.yml", in: $0, "notes: notes", with: "notes: notes\nhealth: {lowVolume: 1e19}")
                },
                2, "lowVolume must be a number from 0 to 10^15"
            ),
            (
                "an SLO window of 99999999999d",
                { try self.replace("slos/checkout.yaml", in: $0, "duration: 28d", with: "duration: 99999999999d") }, 1,
                "slos/checkout.yaml:46:17: duration 99999999999d is longer than a year"
            ),
            (
                "an incident from 0001 to 9999",
                {
                    try self.replace(
                        "notes/2026-W47.md", in: $0, "    start: 2026-11-17T09:00:00+01:00\n",
                        with: "    start: 0001-01-01T00:00:00Z\n    end: 9999-01-01T00:00:00Z\n")
                }, 1, "notes/2026-W47.md:21: incident start '0001-01-01T00:00:00Z' is not an ISO 8601 time"
            ),
        ]
        for item in cases {
            let (project, folder) = try exampleWeek()
            defer { try? FileManager.default.removeItem(at: folder) }
            try item.change(project)
            let built = try binary.headroom(["build", "-q"], in: project)
            #expect(built.status == item.status, "\(item.name): exit \(built.status)\n\(built.stderr)")
            #expect(!built.stderr.contains("Swift runtime failure"), "\(item.name)")
            if item.status != 0 {
                #expect(built.stderr.contains(item.says), "\(item.name): \(built.stderr)")
                #expect(!FileManager.default.fileExists(atPath: project.appending(path: "public").path))
            }
        }
    }

    /// A name of 255 characters (DynamoDB allows that many) once failed at publishing with "File
    /// name too long": its pages now have bounded file names, and the name is shown whole.
    @Test func aNameOf255CharactersGetsItsPages() throws {
        let (project, folder) = try exampleWeek()
        defer { try? FileManager.default.removeItem(at: folder) }
        let long = "accounts-login-" + String(repeating: "x", count: 240)
        let files = FileManager.default.enumerator(at: project, includingPropertiesForKeys: nil)!
        for case let url as URL in files where !url.hasDirectoryPath {
            let text = try String(contentsOf: url, encoding: .utf8)
            if text.contains("accounts-login") {
                try Data(text.replacingOccurrences(of: "accounts-login", with: long).utf8).write(to: url)
            }
        }
        let built = try binary.headroom(["build", "-q"], in: project)
        #expect(built.status == 0, "\(built.stderr)")
        let site = try binary.tree(project.appending(path: "public"))
        #expect(site.keys.allSatisfy { $0.split(separator: "/").allSatisfy { $0.utf8.count < 128 } })
        let page = try #require(site.first { $0.key.hasPrefix("functions/accounts-login-xxx") })
        #expect(String(decoding: page.value, as: UTF8.self).contains(long))
    }

    /// A build stopped with SIGTERM (a cancelled CI job) or SIGINT (Ctrl-C) while it writes the
    /// site removes its staging folder, leaves the previous site as it was, and exits by the signal.
    @Test func aStoppedBuildRemovesItsStagingFolder() throws {
        let (project, folder) = try exampleWeek()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(try binary.headroom(["build", "-q"], in: project).status == 0)
        let published = try binary.tree(project.appending(path: "public"))
        try replace("headroom.yml", in: project, "title: ", with: "title: Changed ")
        func leftovers() -> [String] {
            ((try? FileManager.default.contentsOfDirectory(atPath: project.path)) ?? []).filter {
                $0.hasPrefix(".public.headroom-")
            }
        }
        for stop in [SIGTERM, SIGINT] {
            let process = Process()
            process.executableURL = BinaryTests.binary
            process.arguments = ["build", "-q"]
            process.currentDirectoryURL = project
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            let deadline = Date().addingTimeInterval(60)
            while leftovers().isEmpty, process.isRunning, Date() < deadline { usleep(2_000) }
            #expect(!leftovers().isEmpty, "signal \(stop): the build ended before it staged the site")
            kill(process.processIdentifier, stop)
            process.waitUntilExit()
            #expect(process.terminationReason == .uncaughtSignal, "signal \(stop)")
            #expect(process.terminationStatus == stop, "signal \(stop)")
            #expect(leftovers().isEmpty, "signal \(stop): \(leftovers())")
            #expect(try binary.tree(project.appending(path: "public")) == published, "signal \(stop)")
        }
    }

    /// Outputs never replace or join what the build reads, replace only files Headroom wrote, and
    /// never write through a link.
    @Test func outputsNeverReplaceTheUsersFiles() throws {
        let (project, folder) = try exampleWeek()
        defer { try? FileManager.default.removeItem(at: folder) }
        func text(_ path: String) throws -> String {
            try String(contentsOf: project.appending(path: path), encoding: .utf8)
        }
        let configuration = try text("headroom.yml")
        let note = try text("notes/2026-W47.md")
        for (arguments, says) in [
            (["build", "--dump-report", "headroom.yml"], "may not be written into what the build reads"),
            (["build", "--dump-report", "notes/2026-W47.md"], "may not be written into what the build reads"),
            (["build", "--output", "snapshots/site"], "may not be written into what the build reads"),
            (["build", "--output", "notes"], "may not be written into what the build reads"),
            (["check", "--junit", "headroom.yml"], "may not be written into what the build reads"),
            (["check", "--junit", "slos/report.xml"], "may not be written into what the build reads"),
        ] {
            let run = try binary.headroom(arguments, in: project)
            #expect(run.status == 2, "\(arguments): \(run.stderr)")
            #expect(run.stderr.contains(says), "\(arguments): \(run.stderr)")
        }
        #expect(try text("headroom.yml") == configuration && text("notes/2026-W47.md") == note)
        #expect(!FileManager.default.fileExists(atPath: project.appending(path: "snapshots/site").path))
        // A file of the user's outside the inputs, and a link, are not replaced either.
        try Data("mine".utf8).write(to: folder.appending(path: "mine.txt"))
        try FileManager.default.createSymbolicLink(
            atPath: folder.appending(path: "link.xml").path,
            withDestinationPath: folder.appending(path: "mine.txt").path)
        for arguments in [
            ["build", "--dump-report", "../mine.txt"], ["check", "--junit", "../mine.txt"],
            ["check", "--junit", "../link.xml"],
        ] {
            let run = try binary.headroom(arguments, in: project)
            #expect(
                run.status == 1 && run.stderr.contains("left untouched") || run.stderr.contains("symbolic link"),
                "\(arguments): \(run.stderr)")
        }
        #expect(try String(contentsOf: folder.appending(path: "mine.txt"), encoding: .utf8) == "mine")
        // Headroom's own files are replaced, run after run.
        for _ in 0..<2 {
            let dump = try binary.headroom(["build", "-q", "--dump-report", "../report.txt"], in: project)
            #expect(dump.status == 0, "\(dump.stderr)")
            let junit = try binary.headroom(["check", "--warn-only", "--junit", "../junit.xml"], in: project)
            #expect(junit.status == 0, "\(junit.stderr)")
        }
        #expect(try String(contentsOf: folder.appending(path: "report.txt"), encoding: .utf8).hasPrefix("report "))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasPrefix(".") }
        #expect(leftovers.isEmpty, "\(leftovers)")
    }

    @Test func initWritesNothingThroughALinkOutOfTheProject() throws {
        let folder = try TestSupport.temporaryDirectory("headroom-hostile")
        defer { try? FileManager.default.removeItem(at: folder) }
        let elsewhere = folder.appending(path: "elsewhere")
        try FileManager.default.createDirectory(at: elsewhere, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: folder.appending(path: "ops"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(
            atPath: folder.appending(path: "ops/scripts").path, withDestinationPath: elsewhere.path)
        let created = try binary.headroom(["init", "ops"], in: folder)
        #expect(created.status == 2, "\(created.stderr)")
        #expect(created.stderr.contains("ops/scripts/collect-aws.sh: the folder is a symbolic link out of the project"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: elsewhere.path).isEmpty)
    }
}
