import Foundation
import HeadroomTestSupport
import Testing

/// Runs the built `headroom` binary as a user would. Build it first (`swift build`, which
/// `make test` does); `HEADROOM_BIN` may name another binary.
@Suite(.serialized) struct BinaryTests {
    static var binary: URL {
        if let path = ProcessInfo.processInfo.environment["HEADROOM_BIN"] { return URL(fileURLWithPath: path) }
        return TestSupport.packageRoot.appending(path: ".build/debug/headroom")
    }

    static var example: URL { TestSupport.packageRoot.appending(path: "examples/acme") }

    func headroom(_ arguments: [String], in directory: URL? = nil) throws -> (
        status: Int32, stdout: String, stderr: String
    ) {
        guard FileManager.default.isExecutableFile(atPath: Self.binary.path) else {
            throw CocoaError(
                .fileNoSuchFile,
                userInfo: [NSLocalizedDescriptionKey: "no binary at \(Self.binary.path): run swift build first"])
        }
        return try TestSupport.run(Self.binary, arguments, in: directory)
    }

    /// Every file under `folder`, by relative path.
    func tree(_ folder: URL) throws -> [String: Data] {
        var files: [String: Data] = [:]
        let base = folder.standardizedFileURL.path
        for case let url as URL in FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)!
        where !url.hasDirectoryPath {
            files[String(url.standardizedFileURL.path.dropFirst(base.count + 1))] = try Data(contentsOf: url)
        }
        return files
    }

    /// A copy of the example project that a test may change.
    func copyOfExample() throws -> URL {
        let folder = try TestSupport.temporaryDirectory("headroom-e2e")
        let project = folder.appending(path: "acme")
        try FileManager.default.copyItem(at: Self.example, to: project)
        try? FileManager.default.removeItem(at: project.appending(path: "public"))
        return project
    }

    @Test func buildsTheExampleTwiceToIdenticalBytes() throws {
        let folder = try TestSupport.temporaryDirectory("headroom-e2e")
        defer { try? FileManager.default.removeItem(at: folder) }
        let config = Self.example.appending(path: "headroom.yml").path
        let first = try headroom(["build", "--config", config, "--output", folder.appending(path: "one").path])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("[1/6] Reading configuration: headroom.yml"))
        #expect(first.stdout.contains("[5/6] Rendering pages: 476 pages"))
        #expect(first.stdout.contains("Built 476 pages. Open "))
        let second = try headroom([
            "build", "--quiet", "--config", config, "--output", folder.appending(path: "two").path,
        ])
        #expect(second.status == 0)
        #expect(second.stdout.isEmpty)
        let one = try tree(folder.appending(path: "one"))
        let two = try tree(folder.appending(path: "two"))
        // 56 pages a week (overview, SLOs, costs, limits, errors, traces, checks, notes, sources, 25
        // functions, 12 resources, 5 SLOs, 5 services) for W47 at the root and W41–W47 under weeks/, the
        // error groups' pages (1 in W42 and W43, 3 in W46 and W47, and W47's at the root), W47's 7 trace
        // pages (and at the root), the list of weeks,
        // the 404 page, the single-file review, the sitemap and the feed, report.json, summary.md,
        // slack.json, the stylesheet, the search, sort, chart and theme scripts, the search index, and
        // the marker.
        #expect(one.count == 56 * 8 + (1 + 1 + 3 + 3 + 3) + 7 * 2 + 1 + 5 + 9)
        #expect(one.keys.filter { $0.hasPrefix("weeks/2026-W") && $0.hasSuffix("/index.html") }.count == 7)
        #expect(one == two)

        let index = String(decoding: try #require(one["index.html"]), as: UTF8.self)
        for service in ["storefront", "checkout", "fulfillment", "accounts", "reporting"] {
            #expect(index.contains(#"<section class="service" id="service-\#(service)""#))
        }
        // Figures from the CloudWatch files of 2026-W47 (see the golden report and the
        // independent Python check in tests/e2e).
        #expect(
            index.contains(
                #"<a href="functions/fulfillment-ship.html">fulfillment-ship</a></th><td><span class="status status-critical" title="Errors at 2.21% of requests is at least 10× the 0.10% floor; 54,574 throttles (350 per 1,000 invocations)">Critical</span></td><td class="num">156,115</td><td class="num">3,456</td><td class="num">2.21%</td><td class="num">21.79 s</td>"#
            ))
        #expect(index.contains("Notes for 2026-W47"))
        let page = String(decoding: try #require(one["weeks/2026-W47/functions/payment-capture.html"]), as: UTF8.self)
        #expect(
            page.contains(
                #"<th scope="row">Duration p99</th><td class="num">5.60 s</td><td class="num">5.00 s</td><td class="num">+12.0%</td>"#
            ))
    }

    @Test func aMalformedInputNamesTheFileAndKeepsThePreviousSite() throws {
        let project = try copyOfExample()
        defer { try? FileManager.default.removeItem(at: project.deletingLastPathComponent()) }
        let config = project.appending(path: "headroom.yml").path
        #expect(try headroom(["build", "-q", "--config", config]).status == 0)
        let before = try tree(project.appending(path: "public"))

        let broken = project.appending(path: "snapshots/2026-W47/cloudwatch-sqs.json")
        var text = try String(contentsOf: broken, encoding: .utf8)
        let cut = text.prefix(2000).lastIndex(of: "\n")!
        text = String(text[...cut])  // a download cut off after a whole line
        try Data(text.utf8).write(to: broken)
        let result = try headroom(["build", "--config", config])
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("error (while reading sources): snapshots/2026-W47/cloudwatch-sqs.json:"))
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).count
        #expect(result.stderr.contains("cloudwatch-sqs.json:\(lines):1: invalid JSON: unexpected end of file"))
        #expect(result.stderr.contains("fix: save the AWS CLI output unchanged (--output json)"))
        #expect(try tree(project.appending(path: "public")) == before)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: project.path).filter {
            $0.hasPrefix(".public")
        }
        #expect(leftovers.isEmpty)
    }

    /// Kills builds at moments spread over their run: the site on disk is always the old one or
    /// the new one, whole, never a mix or nothing.
    @Test func aKilledBuildNeverLeavesAHalfWrittenSite() throws {
        let project = try copyOfExample()
        defer { try? FileManager.default.removeItem(at: project.deletingLastPathComponent()) }
        let config = project.appending(path: "headroom.yml").path
        let output = project.appending(path: "public")
        #expect(try headroom(["build", "-q", "--config", config]).status == 0)
        let complete = try tree(output)
        for delay in stride(from: 0.1, through: 1.5, by: 0.2) {
            let process = Process()
            process.executableURL = Self.binary
            process.arguments = ["build", "-q", "--config", config]
            try process.run()
            Thread.sleep(forTimeInterval: delay)
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            #expect(try tree(output) == complete, "killed after \(delay) s")
        }
        // The next build clears what the killed ones left beside the output.
        #expect(try headroom(["build", "-q", "--config", config]).status == 0)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: project.path).filter {
            $0.hasPrefix(".public")
        }
        #expect(leftovers.isEmpty)
    }

    @Test func configurationAndUsageErrorsExitWithTwo() throws {
        let project = try copyOfExample()
        defer { try? FileManager.default.removeItem(at: project.deletingLastPathComponent()) }
        let config = project.appending(path: "headroom.yml")
        let text = try String(contentsOf: config, encoding: .utf8).replacingOccurrences(
            of: "timeZone:", with: "timezone:")
        try Data(text.utf8).write(to: config)
        let result = try headroom(["build", "--config", config.path])
        #expect(result.status == 2)
        #expect(
            result.stderr.contains("headroom.yml:4:1: unknown key 'timezone' in headroom.yml; did you mean 'timeZone'?")
        )

        let usage = try headroom(["build", "--frobnicate"])
        #expect(usage.status == 2)
        #expect(usage.stderr.contains("Unknown option '--frobnicate'"))
        let missing = try headroom(["build", "--config", project.appending(path: "nope.yml").path])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("cannot read the configuration file"))
    }

    @Test func initScaffoldsAProjectThatBuilds() throws {
        let folder = try TestSupport.temporaryDirectory("headroom-e2e")
        defer { try? FileManager.default.removeItem(at: folder) }
        let created = try headroom(["init", "ops"], in: folder)
        #expect(created.status == 0, "\(created.stderr)")
        #expect(created.stdout.contains("created ops/headroom.yml"))
        let built = try headroom(["build"], in: folder.appending(path: "ops"))
        #expect(built.status == 0, "\(built.stderr)")
        let index = try String(contentsOf: folder.appending(path: "ops/public/index.html"), encoding: .utf8)
        #expect(index.contains("No data yet"))
        // Every page of the empty site says what to do next in the words init used, names no
        // blank week, and nothing reads as an all-clear.
        let next = "scripts/collect-aws.sh &amp;&amp; headroom build"
        #expect(created.stdout.contains("Next: cd ops && scripts/collect-aws.sh && headroom build"))
        let site = folder.appending(path: "ops/public")
        let pages = try FileManager.default.contentsOfDirectory(atPath: site.path).filter { $0.hasSuffix(".html") }
        #expect(pages.count >= 8, "\(pages)")
        for page in pages {
            let html = try String(contentsOf: site.appending(path: page), encoding: .utf8)
            #expect(html.contains(next), "\(page) does not say what to run next")
            for blank in ["week :", "Week :", "week ,", "week {", "notes/.md", " week <", "every rule passes"] {
                #expect(!html.contains(blank), "\(page) says \"\(blank)\"")
            }
        }
        let checks = try String(contentsOf: site.appending(path: "checks.html"), encoding: .utf8)
        #expect(checks.contains("Nothing was checked") && checks.contains("This is not an all-clear"))
        #expect(!checks.contains("No findings this week") && !checks.contains("No open findings"))
        let again = try headroom(["init", "ops"], in: folder)
        #expect(again.status == 2)
        #expect(again.stderr.contains("a report project already exists here; nothing was changed"))
    }

    @Test func initExampleWritesTheExampleThatBuildsToItsReport() throws {
        let folder = try TestSupport.temporaryDirectory("headroom-e2e")
        defer { try? FileManager.default.removeItem(at: folder) }
        let created = try headroom(["init", "--example", "shop"], in: folder)
        #expect(created.status == 0, "\(created.stderr)")
        #expect(created.stdout.contains("created 192 snapshot files in shop/snapshots/"))
        #expect(created.stdout.contains("Next: cd shop && headroom build"))
        // Every file of the example, byte for byte (its store and site are not part of it).
        let project = folder.appending(path: "shop")
        let manager = FileManager.default
        var compared = 0
        for case let path as String in manager.enumerator(atPath: Self.example.path)!
        where !path.hasPrefix(".") && !path.hasPrefix("public") {
            var isFolder: ObjCBool = false
            guard manager.fileExists(atPath: Self.example.appending(path: path).path, isDirectory: &isFolder),
                !isFolder.boolValue
            else { continue }
            let written = try? Data(contentsOf: project.appending(path: path))
            #expect(written == (try Data(contentsOf: Self.example.appending(path: path))), "\(path)")
            compared += 1
        }
        #expect(compared == 198)
        #expect(manager.isExecutableFile(atPath: project.appending(path: "scripts/collect-aws.sh").path))
        // It builds as it stands, to the example's report; the only difference is the README that
        // init puts in snapshots/, which the build names as not read.
        let dump = folder.appending(path: "report.txt")
        let built = try headroom(["build", "-q", "--dump-report", dump.path], in: project)
        #expect(built.status == 0, "\(built.stderr)")
        let readme =
            "source snapshots/README.md ignored (Markdown is not an input (notes belong in notes/); Headroom reads "
            + ".csv, .json, .log, .prom, .txt, .yaml, .yml) series=0 points=0 records=0\n"
        let report = try String(contentsOf: dump, encoding: .utf8)
        #expect(report.contains(readme))
        let golden = try String(contentsOf: TestSupport.fixture("golden/acme-report.txt"), encoding: .utf8)
        #expect(report.replacingOccurrences(of: readme, with: "") == golden)
        let again = try headroom(["init", "--example", "shop"], in: folder)
        #expect(again.status == 2 && again.stderr.contains("a report project already exists here"))
    }

    @Test func dumpsTheReportAsText() throws {
        let folder = try TestSupport.temporaryDirectory("headroom-e2e")
        defer { try? FileManager.default.removeItem(at: folder) }
        let dump = folder.appending(path: "report.txt")
        let result = try headroom([
            "build", "-q", "--config", Self.example.appending(path: "headroom.yml").path, "--output",
            folder.appending(path: "site").path, "--dump-report", dump.path,
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let golden = try String(contentsOf: TestSupport.fixture("golden/acme-report.txt"), encoding: .utf8)
        #expect(try String(contentsOf: dump, encoding: .utf8) == golden)
    }

    @Test func gatesFailThePipelineUnlessWarnOnly() throws {
        let project = try copyOfExample()
        defer { try? FileManager.default.removeItem(at: project.deletingLastPathComponent()) }
        let config = project.appending(path: "headroom.yml")
        let none = try headroom(["check", "--config", config.path])
        #expect(none.status == 0 && none.stdout.contains("No gates in headroom.yml"))
        let gates =
            "gates:\n  - when: {budgetExhausted: true}\n  - when: {costGrowthAbove: 20}\n"
            + "  - {when: {quotaAbove: 90}, level: warn}\n"
        let handle = try FileHandle(forWritingTo: config)
        handle.seekToEndOfFile()
        handle.write(Data(gates.utf8))
        try handle.close()
        let failed = try headroom(["check", "--config", config.path])
        #expect(failed.status == 1, "\(failed.stderr)")
        #expect(
            failed.stdout.contains(
                "FAIL  an error budget is exhausted\n      Shipments are booked: −121.4% of the error budget left"))
        #expect(failed.stdout.contains("ok    cost grew more than 20% week over week"))
        #expect(failed.stdout.contains("warn  a quota is above 90%\n      Stacks (eu-central-1): 91.10% of 2,000 used"))
        #expect(failed.stdout.hasSuffix("1 of 3 gates failed, 1 warned for week 2026-W47.\n"))
        let warned = try headroom(["check", "--config", config.path, "--warn-only"])
        #expect(warned.status == 0 && warned.stdout.contains("(--warn-only: exit 0)"))
        // build --check writes the site, then judges the gates and writes JUnit for the CI.
        let junit = project.appending(path: "junit.xml")
        let built = try headroom(["build", "-q", "--config", config.path, "--check", "--junit", junit.path])
        #expect(built.status == 1)
        #expect(FileManager.default.fileExists(atPath: project.appending(path: "public/index.html").path))
        let xml = try String(contentsOf: junit, encoding: .utf8)
        #expect(xml.contains(#"<testsuite name="gates" tests="3" failures="1" errors="0" skipped="0">"#))
        let usage = try headroom(["build", "--config", config.path, "--junit", junit.path])
        #expect(usage.status == 2 && usage.stderr.contains("--warn-only and --junit need --check"))
    }

    @Test func printsItsVersion() throws {
        let result = try headroom(["--version"])
        #expect(result.status == 0)
        #expect(result.stdout == "0.1.0\n")
    }
}

/// One real file of every format in one project: the build reads them all and the Sources page
/// lists each with its format and what was read.
@Suite struct EveryFormatTests {
    static let files: [(folder: String, name: String, format: String)] = [
        ("cloudwatch-get-metric-data", "moto-cli-v1-epoch.json", "cloudwatch-get-metric-data"),
        ("cloudwatch-get-metric-statistics", "moto-duration-all-stats.json", "cloudwatch-get-metric-statistics"),
        ("cost-explorer", "shaped-daily-by-service-and-tag.json", "cost-explorer"),
        ("service-quotas", "shaped-list-service-quotas-lambda.json", "service-quotas"),
        ("lambda-account-settings", "awscli-example-get-account-settings.json", "lambda-account-settings"),
        ("lambda-function-concurrency", "shaped-reservation-orders-api.json", "lambda-function-concurrency"),
        ("lambda-functions", "moto-list-functions-all.json", "lambda-functions"),
        ("lambda-logs", "shaped-text-orders-api-messages.log", "lambda-logs"),
        ("openslo", "multi-doc-service-sli-slo.yaml", "openslo"),
        ("wellarchitected", "list-answers-serverless-reliability-milestone-3.json", "wellarchitected"),
        ("trusted-advisor", "describe-trusted-advisor-check-result-L4dfs2Q4C5.json", "trusted-advisor"),
        ("security-hub-asff", "moto-get-findings.json", "security-hub-asff"),
        ("prowler-ocsf", "prowler-5.46.0.ocsf.json", "prowler-ocsf"),
        ("focus-csv", "aws-focus-1.2.csv", "focus-csv"),
        ("cur2-csv", "cur2-lambda.csv", "cur2-csv"),
        ("prometheus", "real-query-range-http-requests-rate.json", "prometheus-query"),
        ("prometheus", "real-federate-text-0.0.4.txt", "prometheus-text"),
    ]

    @Test func theSourcesPageListsEveryFile() throws {
        let folder = try TestSupport.temporaryDirectory("headroom-formats")
        defer { try? FileManager.default.removeItem(at: folder) }
        let snapshots = folder.appending(path: "snapshots")
        try FileManager.default.createDirectory(at: snapshots, withIntermediateDirectories: true)
        for file in Self.files {
            let source = TestSupport.fixture("\(file.folder)/\(file.name)")
            // Prefix with the folder so that names do not clash.
            let stem = "\(file.folder)--" + source.deletingPathExtension().lastPathComponent
            try FileManager.default.copyItem(
                at: source, to: snapshots.appending(path: stem + "." + source.pathExtension))
            let query = source.deletingPathExtension().appendingPathExtension("query.json")
            if FileManager.default.fileExists(atPath: query.path) {
                try FileManager.default.copyItem(at: query, to: snapshots.appending(path: stem + ".query.json"))
            }
        }
        try Data("title: Every format\ntimeZone: UTC\n".utf8).write(to: folder.appending(path: "headroom.yml"))
        let result = try TestSupport.run(
            BinaryTests.binary, ["build", "--config", folder.appending(path: "headroom.yml").path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("Reading sources: \(Self.files.count) files"))
        let page = try String(contentsOf: folder.appending(path: "public/sources.html"), encoding: .utf8)
        let rows = page.components(separatedBy: "<tr class=\"source-read\">").dropFirst()
        #expect(rows.count == Self.files.count)
        for file in Self.files {
            let stem = "\(file.folder)--" + URL(fileURLWithPath: file.name).deletingPathExtension().lastPathComponent
            let row = rows.first { $0.contains("<code>snapshots/\(stem).") }
            #expect(row?.contains("<td>\(file.format)</td>") == true, "\(file.name)")
        }
        #expect(page.contains("<td class=\"num\">7</td>"))  // the log file's 7 invocations
    }
}
