import Foundation
import HeadroomAnalysis
import HeadroomIngest
import HeadroomModel
import HeadroomSite
import HeadroomStore
import HeadroomTestSupport
import Testing

@testable import HeadroomKit

/// A small report project in a temporary folder, built from real fixtures.
struct Project {
    let root: URL

    init() throws {
        root = try TestSupport.temporaryDirectory("headroom-project")
        let snapshots = root.appending(path: "snapshots/2026-W47")
        try FileManager.default.createDirectory(at: snapshots, withIntermediateDirectories: true)
        for name in ["moto-cli-v1-epoch.json", "moto-cli-v1-epoch.query.json"] {
            try FileManager.default.copyItem(
                at: TestSupport.fixture("cloudwatch-get-metric-data/\(name)"), to: snapshots.appending(path: name))
        }
        try write("headroom.yml", "title: Test\ntimeZone: UTC\nservices:\n  - name: orders\n    match: [orders-*]\n")
    }

    func write(_ path: String, _ text: String) throws {
        let url = root.appending(path: path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    var options: BuildOptions { BuildOptions(configuration: root.appending(path: "headroom.yml").path) }
    var output: URL { root.appending(path: "public") }

    func read(_ path: String) -> String? { try? String(contentsOf: output.appending(path: path), encoding: .utf8) }

    /// Every file of the published site, by relative path.
    func site() throws -> [String: Data] {
        var files: [String: Data] = [:]
        let enumerator = FileManager.default.enumerator(at: output, includingPropertiesForKeys: nil)!
        for case let url as URL in enumerator where !url.hasDirectoryPath {
            files[String(url.standardizedFileURL.path.dropFirst(output.standardizedFileURL.path.count + 1))] = try Data(
                contentsOf: url)
        }
        return files
    }

    func remove() { try? FileManager.default.removeItem(at: root) }
}

@Suite struct PipelineTests {
    @Test func buildsAndReportsEachStep() throws {
        let project = try Project()
        defer { project.remove() }
        var steps: [String] = []
        let result = try Pipeline.build(project.options) { event in
            if case .step(let index, let total, let name, let detail, _) = event {
                steps.append("[\(index)/\(total)] \(name): \(detail)")
            }
        }
        #expect(
            steps == [
                "[1/6] Reading configuration: headroom.yml", "[2/6] Reading sources: 1 file, 2 series, 0 records",
                "[3/6] Reading notes: 0 notes", "[4/6] Analysing: week 2026-W47, 1 function",
                "[5/6] Rendering pages: 25 pages",
                "[6/6] Publishing: \(project.output.standardizedFileURL.path)",
            ])
        // Overview, SLOs, costs, limits, errors, traces, checks, notes, sources, the function and its service,
        // at the root and in weeks/2026-W47/, the list of weeks, the 404 page and the single-file review.
        #expect(result.pages == 25)
        #expect(project.read("index.html")?.contains(#"<td class="num">330</td>"#) == true)
        #expect(project.read("functions/orders-api.html") != nil)
    }

    @Test func aMalformedInputStopsTheBuildAndKeepsThePreviousSite() throws {
        let project = try Project()
        defer { project.remove() }
        _ = try Pipeline.build(project.options)
        let before = try project.site()
        try project.write(
            "snapshots/2026-W47/moto-cli-v1-epoch.json", "{\n  \"MetricDataResults\": [\n    {\"Id\": \"inv\",, }\n")
        do {
            _ = try Pipeline.build(project.options)
            Issue.record("the build succeeded")
        } catch {
            #expect(error.file == "snapshots/2026-W47/moto-cli-v1-epoch.json")
            #expect(error.position == .line(3, column: 18))
            #expect(error.message == "invalid JSON: unexpected ','; expected a quoted key")
            #expect(error.step == "Reading sources")
            #expect(error.exitCode == 1)
        }
        #expect(try project.site() == before)
    }

    @Test func withWarnTheInvalidFileIsSkippedAndShown() throws {
        let project = try Project()
        defer { project.remove() }
        try project.write("headroom.yml", "title: Test\ntimeZone: UTC\nonInvalidInput: warn\n")
        try project.write("snapshots/2026-W47/broken.json", "[1, 2")
        var warnings: [String] = []
        _ = try Pipeline.build(project.options) { if case .warning(let text) = $0 { warnings.append(text) } }
        #expect(
            warnings == [
                "skipped snapshots/2026-W47/broken.json:1:6: invalid JSON: unexpected end of file; expected ',' or ']'\n  fix: save the AWS CLI output unchanged (--output json)"
            ])
        let index = try #require(project.read("index.html"))
        #expect(index.contains("Skipped invalid file: snapshots/2026-W47/broken.json:1:6"))
        #expect(index.contains("1 invalid and skipped"))
    }

    @Test func anUnrecognisedFileIsAnErrorAndAnEmptyOneIsListed() throws {
        let project = try Project()
        defer { project.remove() }
        try project.write("snapshots/2026-W47/empty.json", "\n")
        let report = try Pipeline.report(project.options)
        #expect(report.sources.map(\.status) == [.empty, .read(.cloudWatchGetMetricData)])
        try project.write("snapshots/2026-W47/inventory.json", #"{"Items": []}"#)
        do {
            _ = try Pipeline.report(project.options)
            Issue.record("an unknown format was accepted")
        } catch {
            #expect(error.file == "snapshots/2026-W47/inventory.json")
            #expect(error.message.hasPrefix("the format of this file is not recognised: top-level keys Items"))
        }
    }

    @Test func aMetricInTheConfigurationNamesGetMetricStatisticsOutput() throws {
        let project = try Project()
        defer { project.remove() }
        try FileManager.default.copyItem(
            at: TestSupport.fixture("cloudwatch-get-metric-statistics/moto-invocations-sum.json"),
            to: project.root.appending(path: "stats.json"))
        try project.write(
            "headroom.yml",
            """
            sources:
              - snapshots
              - path: stats.json
                metric:
                  namespace: AWS/Lambda
                  name: Invocations
                  dimensions: {FunctionName: orders-api}
                  period: 3600
                  statistics: [Sum]
            """)
        let report = try Pipeline.report(project.options)
        let row = try #require(report.sources.first { $0.path == "stats.json" })
        #expect(row.status == .read(.cloudWatchGetMetricStatistics))
        #expect(row.seriesCount == 1)
        try project.write(
            "headroom.yml", "sources:\n  - path: stats.json\n    metric: {namespace: AWS/Lambda, name: X}\n")
        do {
            _ = try Pipeline.report(project.options)
            Issue.record("a metric without a period was accepted")
        } catch {
            #expect(error.message == "a metric needs namespace, name and period")
        }
    }

    @Test func configurationErrorsNameTheFile() throws {
        let project = try Project()
        defer { project.remove() }
        try project.write("headroom.yml", "title: x\nsources: [nowhere]\n")
        do {
            _ = try Pipeline.build(project.options)
            Issue.record("built")
        } catch {
            #expect(error.file == "nowhere")
            #expect(error.message == "the source does not exist")
            #expect(error.exitCode == 2)
        }
    }
}

@Suite struct NoteReaderTests {
    let week = ISOWeek(year: 2026, week: 47)

    func problem(_ text: String) -> HeadroomError? {
        do {
            _ = try NoteReader.parse(text, week: week, path: "notes/2026-W47.md")
            return nil
        } catch {
            return error
        }
    }

    @Test func readsFrontMatterAndBody() throws {
        let note = try NoteReader.parse(
            "---\nweek: 2026-W47\nauthors: [Ann, Bo]\n---\n# Hi\n", week: week, path: "n.md")
        #expect(note.authors == ["Ann", "Bo"])
        #expect(note.body == "# Hi\n")
    }

    @Test func reportsProblemsWithTheirDocumentLine() {
        #expect(
            problem("---\nweek: 2026-W46\n---\n")?.message
                == "week: 2026-W46 does not match the file name's week 2026-W47")
        #expect(
            problem("---\nweek: 2026-W47\nauthor: Ann\n---\n")?.message
                == "unknown front-matter key 'author'; did you mean 'authors'?")
        #expect(problem("---\nweek: 2026-W47\nauthor: Ann\n---\n")?.position == .line(3, column: nil))
        let deep = problem("---\nweek: 2026-W47\n---\nfine\n" + String(repeating: "> ", count: 100) + "x\n")
        #expect(deep?.position == .line(5, column: nil))
        #expect(
            deep?.message
                == "block quotes and lists nested 100 deep (two columns of indentation count as one); the limit is 32")
    }

    @Test func readsIncidentsForChartMarkers() throws {
        let note = try NoteReader.parse(
            """
            ---
            incidents:
              - title: PSP latency
                start: 2026-11-18T14:00:00+01:00
                end: 2026-11-18T17:30:00+01:00
              - {title: Carrier slow, start: 2026-11-19T08:00:00Z}
            ---
            """, week: week, path: "n.md")
        #expect(
            note.incidents == [
                Incident(
                    title: "PSP latency", start: Instant(seconds: 1_795_006_800),
                    end: Instant(seconds: 1_795_019_400)),
                Incident(title: "Carrier slow", start: Instant(seconds: 1_795_075_200), end: nil),
            ])
        #expect(
            problem("---\nincidents:\n  - {title: x, start: yesterday}\n---\n")?.message
                == "incident start 'yesterday' is not an ISO 8601 time with a zone in the years 1970 to 2199")
        #expect(
            problem("---\nincidents:\n  - {title: x, start: 2026-11-19T08:00:00Z, end: 2026-11-19T07:00:00Z}\n---\n")?
                .message
                == "incident end '2026-11-19T07:00:00Z' is not an ISO 8601 time with a zone, in the years 1970 to 2199, at or after its start"
        )
        #expect(problem("---\nincidents:\n  - {start: 2026-11-19T08:00:00Z}\n---\n")?.position == .line(2, column: nil))
        #expect(
            problem("---\nincidents:\n  - {title: x, start: 2026-11-19T08:00:00Z, owner: Bo}\n---\n")?.message
                == "unknown incident key 'owner'")
        #expect(problem("---\nincidents: soon\n---\n")?.message == "incidents must be a list of {title, start, end}")
    }

    @Test func readsActionItems() throws {
        let note = try NoteReader.parse(
            """
            ---
            title: Week 47
            actions:
              - title: Raise the reserved concurrency
                owner: Marco Berger
                due: 2026-11-24
                done: false
              - {title: Redrive the DLQ, done: true}
            ---
            """, week: week, path: "n.md")
        #expect(note.title == "Week 47")
        #expect(
            note.actions == [
                ActionItem(
                    title: "Raise the reserved concurrency", owner: "Marco Berger",
                    due: Instant.days(year: 2026, month: 11, day: 24), done: false),
                ActionItem(title: "Redrive the DLQ", owner: nil, due: nil, done: true),
            ])
        let badDue = problem("---\nactions:\n  - title: x\n    due: 24.11.2026\n---\n")
        #expect(badDue?.message == "an action's due date must be a date such as 2026-11-24, found '24.11.2026'")
        #expect(badDue?.position == .line(4, column: nil))
        #expect(
            problem("---\nactions:\n  - {title: x, done: maybe}\n---\n")?.message
                == "an action's done must be true or false, found 'maybe'")
        #expect(
            problem("---\nactions:\n  - {title: x, assignee: Bo}\n---\n")?.message == "unknown action key 'assignee'")
        #expect(problem("---\nactions:\n  - {owner: Bo}\n---\n")?.position == .line(2, column: nil))
        #expect(problem("---\nactions: later\n---\n")?.message == "actions must be a list of {title, owner, due, done}")
        #expect(problem("---\nactions:\n  - {title: x, due: 2026-02-30}\n---\n") != nil)
    }

    @Test func noteFileNamesMustBeWeeks() throws {
        let folder = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data("x".utf8).write(to: folder.appending(path: "incident.md"))
        #expect(throws: HeadroomError.self) { try NoteReader.read(folder: folder, display: "notes", root: folder) }
    }
}

@Suite struct ScaffoldTests {
    @Test func initWritesAProjectThatBuildsAndRefusesToOverwrite() throws {
        let folder = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let written = try Scaffold.write(to: folder.appending(path: "ops"))
        #expect(
            written == [
                "headroom.yml", ".gitignore", "snapshots/README.md", "notes/README.md.example",
                ".github/workflows/headroom.yml", ".gitlab-ci.yml", "scripts/collect-aws.sh", "scripts/history.sh",
            ])
        // The CI examples and the scripts are the repository's files, byte for byte; the scripts
        // are executable.
        for (path, source) in [
            (".github/workflows/headroom.yml", "scaffold/github-actions.yml"),
            (".gitlab-ci.yml", "scaffold/gitlab-ci.yml"),
            ("scripts/collect-aws.sh", "scripts/collect-aws.sh"),
            ("scripts/history.sh", "scripts/history.sh"),
        ] {
            #expect(
                try Data(contentsOf: folder.appending(path: "ops/\(path)"))
                    == Data(contentsOf: TestSupport.packageRoot.appending(path: source)), "\(path)")
        }
        for script in ["collect-aws.sh", "history.sh"] {
            let mode =
                try FileManager.default.attributesOfItem(atPath: folder.appending(path: "ops/scripts/\(script)").path)[
                    .posixPermissions] as? Int
            #expect(mode == 0o755, "\(script)")
        }
        let result = try Pipeline.build(BuildOptions(configuration: folder.appending(path: "ops/headroom.yml").path))
        #expect(result.pages == 10)  // overview, SLOs, costs, limits, errors, traces, checks, notes, sources, 404
        #expect(result.week == nil)
        do {
            _ = try Scaffold.write(to: folder.appending(path: "ops"))
            Issue.record("overwrote")
        } catch {
            #expect(error.exitCode == 2)
        }
    }
}

@Suite struct ExampleReportTests {
    /// The whole analysis of examples/acme as text, against a reviewed golden file.
    @Test func exampleReportMatchesItsGoldenFile() throws {
        let configuration = TestSupport.packageRoot.appending(path: "examples/acme/headroom.yml").path
        let report = try Pipeline.report(BuildOptions(configuration: configuration))
        if let difference = try TestSupport.assertGolden(report.dump, named: "acme-report.txt") {
            Issue.record(Comment(rawValue: difference))
        }
    }
}

@Suite struct CheckRuleSettingsTests {
    func rules(_ yaml: String, own: String? = nil) throws(HeadroomError) -> [Rule] {
        let folder = try! TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        if let own {
            try! FileManager.default.createDirectory(
                at: folder.appending(path: "checks"), withIntermediateDirectories: true)
            try! Data(own.utf8).write(to: folder.appending(path: "checks/own.yml"))
        }
        let configuration = try ConfigurationLoader.parse(Data(yaml.utf8), file: "headroom.yml")
        return try Pipeline.rules(configuration, project: folder)
    }

    func problem(_ yaml: String, own: String? = nil) -> String? {
        do {
            _ = try rules(yaml, own: own)
            return nil
        } catch {
            return error.message
        }
    }

    @Test func theProjectAddsDisablesAndTunesRules() throws {
        let builtIn = try RuleLoader.builtIn()
        let own =
            "{id: orders-dlq, title: Orders DLQ, pillar: reliability, severity: critical, scope: queue, when: {metric: {name: ApproximateNumberOfMessagesVisible, above: 0}}}"
        let result = try rules(
            "checks:\n  disable: [lambda-text-logs]\n  rules:\n    lambda-error-rate: {severity: critical, threshold: 2.5}\n",
            own: own)
        #expect(result.count == builtIn.count - 1 + 1)
        #expect(!result.contains { $0.id == "lambda-text-logs" })
        #expect(result.last?.id == "orders-dlq" && result.last?.source == "checks/own.yml:1")
        let errors = try #require(result.first { $0.id == "lambda-error-rate" })
        #expect(errors.severity == .critical)
        #expect(errors.condition == .ratio(of: "Errors", to: "Invocations", .above, 2.5, minimumVolume: 1000))
    }

    @Test func mistakesAreNamed() {
        #expect(
            problem("checks:\n  disable: [lambda-eror-rate]\n")
                == "checks: no rule has the id 'lambda-eror-rate'; did you mean 'lambda-error-rate'?")
        #expect(
            problem("checks:\n  rules:\n    lambda-x86: {threshold: 3}\n")
                == "checks: the rule lambda-x86 has no threshold to override")
        #expect(
            problem(
                "title: t\n",
                own: "{id: lambda-x86, title: X, pillar: security, severity: low, scope: function, when: {x86: true}}")
                == "the rule id lambda-x86 is a built-in rule's")
    }
}

/// `previous` is the only thing that reads a clock, and SOURCE_DATE_EPOCH replaces that clock.
@Suite struct PreviousWeekTests {
    @Test func previousIsTheWeekBeforeNowInTheProjectsZone() throws {
        let project = try Project()
        defer { project.remove() }
        try project.write("headroom.yml", "title: Test\ntimeZone: Europe/Berlin\n")
        let path = project.root.appending(path: "headroom.yml").path
        // Monday 2027-01-04 00:30 in Berlin is still Sunday 23:30 in UTC. In Berlin the week that just
        // ended is 2026-W53, the last week of a 53-week year.
        let mondayBerlin = Instant(seconds: 1_799_019_000)
        let (week, interval) = try Collect.week(configuration: path, argument: "previous") { mondayBerlin }
        #expect(week.description == "2026-W53")
        #expect(interval.lowerBound.description == "2026-12-27T23:00:00Z")
        #expect(interval.upperBound.description == "2027-01-03T23:00:00Z")
        // A named week never reads the clock.
        let named = try Collect.week(configuration: path, argument: "2026-W47") { () throws(HeadroomError) in
            throw HeadroomError(.usage, "the clock was read")
        }
        #expect(named.week.description == "2026-W47")
    }

    /// The Athena request for a week: the ISO week's UTC days (Monday to the next Monday) over the
    /// configured table, whatever the project's zone; names quoted; no cost.athena is a usage error.
    @Test func theAthenaRequestAsksForTheWeeksDaysFromTheConfiguredTable() throws {
        let project = try Project()
        defer { project.remove() }
        try project.write(
            "headroom.yml",
            """
            title: Test
            timeZone: Pacific/Auckland
            cost:
              athena: {database: cur_db, table: cur2_export, export: cur2, workgroup: finops}
            """)
        let path = project.root.appending(path: "headroom.yml").path
        let (week, data) = try Collect.athenaRequest(configuration: path, week: "2027-W01")
        #expect(week.description == "2027-W01")
        let request = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(request["WorkGroup"] as? String == "finops")
        #expect((request["QueryExecutionContext"] as? [String: String]) == ["Database": "cur_db"])
        #expect(request["ResultConfiguration"] == nil)
        let sql = try #require(request["QueryString"] as? String)
        #expect(sql.contains(#"FROM "cur_db"."cur2_export""#))
        // 2027-W01 runs from Monday 4 January 2027 to Monday 11 January.
        #expect(
            sql.contains(
                "WHERE line_item_usage_start_date >= timestamp '2027-01-04 00:00:00' AND line_item_usage_start_date < timestamp '2027-01-11 00:00:00'"
            ))
        for column in [
            "line_item_usage_account_id", "product_region_code", "line_item_resource_id",
            "sum(line_item_unblended_cost)",
        ] {
            #expect(sql.contains(column))
        }
        try project.write("headroom.yml", "title: Test\n")
        #expect(throws: HeadroomError.self) { try Collect.athenaRequest(configuration: path, week: "2027-W01") }
    }

    @Test func sourceDateEpochReplacesTheSystemClock() throws {
        let fixed = try Collect.now(
            environment: ["SOURCE_DATE_EPOCH": "1764547200"], clock: Date(timeIntervalSince1970: 0))
        #expect(fixed.description == "2025-12-01T00:00:00Z")
        let system = try Collect.now(environment: [:], clock: Date(timeIntervalSince1970: 1_000_000_000.9))
        #expect(system.seconds == 1_000_000_000)
        for bad in ["", "yesterday", "1.5", "-1", "99999999999999"] {
            #expect(throws: HeadroomError.self) {
                try Collect.now(environment: ["SOURCE_DATE_EPOCH": bad], clock: Date(timeIntervalSince1970: 0))
            }
        }
    }
}

/// The history store is a cache of the snapshots: however the example's weeks reach it, the site
/// is the same, byte for byte.
@Suite struct HistoryStoreBuildTests {
    static let weeks = (41...47).map { "2026-W\($0)" }

    /// A copy of examples/acme without its built site and store, with the snapshots of `weeks`.
    func example(weeks: [String] = Self.weeks) throws -> URL {
        let root = try TestSupport.temporaryDirectory("headroom-acme")
        let source = TestSupport.packageRoot.appending(path: "examples/acme")
        for name in ["headroom.yml", "slos", "notes", "checks"] {
            try FileManager.default.copyItem(at: source.appending(path: name), to: root.appending(path: name))
        }
        for week in weeks { try add(week, to: root) }
        return root
    }

    func add(_ week: String, to root: URL) throws {
        let snapshots = root.appending(path: "snapshots")
        try FileManager.default.createDirectory(at: snapshots, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            at: TestSupport.packageRoot.appending(path: "examples/acme/snapshots/\(week)"),
            to: snapshots.appending(path: week))
    }

    /// Builds into `output` and returns every file of the site, and the "Reading sources" line.
    func build(_ root: URL, _ output: String = "public") throws -> (site: [String: Data], sources: String) {
        let (site, steps) = try built(root, output)
        return (site, steps["Reading sources"] ?? "")
    }

    /// Builds into `output` and returns every file of the site, and each step's line.
    func built(_ root: URL, _ output: String = "public") throws -> (site: [String: Data], steps: [String: String]) {
        var steps: [String: String] = [:]
        _ = try Pipeline.build(
            BuildOptions(
                configuration: root.appending(path: "headroom.yml").path, output: root.appending(path: output).path)
        ) { event in
            if case .step(_, _, let name, let detail, _) = event { steps[name] = detail }
        }
        var files: [String: Data] = [:]
        let base = root.appending(path: output).standardizedFileURL.path + "/"
        let enumerator = FileManager.default.enumerator(
            at: root.appending(path: output), includingPropertiesForKeys: nil)!
        for case let url as URL in enumerator where !url.hasDirectoryPath {
            files[String(url.standardizedFileURL.path.dropFirst(base.count))] = try Data(contentsOf: url)
        }
        return (files, steps)
    }

    /// The inode of a file of the site: the same when the build kept the file.
    func inode(_ root: URL, _ path: String) throws -> UInt64 {
        let attributes = try FileManager.default.attributesOfItem(atPath: root.appending(path: path).path)
        return (attributes[.systemFileNumber] as? NSNumber)?.uint64Value ?? 0
    }

    /// A build with nothing new analyses only the review week and keeps every archived page; a
    /// changed note or snapshot of an old week redoes that week and the later ones, and nothing
    /// before; the site is always the one a build from scratch writes.
    @Test func unchangedWeeksAreNeitherAnalysedNorRenderedAgain() throws {
        let root = try example()
        defer { try? FileManager.default.removeItem(at: root) }
        let scratch = try built(root)
        #expect(scratch.steps["Analysing"]?.hasSuffix(", 6 earlier weeks") == true)
        #expect(scratch.steps["Rendering pages"] == "476 pages")
        let page = "public/weeks/2026-W41/index.html"
        let before = try inode(root, page)
        let again = try built(root)
        #expect(again.steps["Analysing"]?.hasSuffix(", 6 earlier weeks (6 unchanged, from the store)") == true)
        // W41 is 6 weeks before W47 (archive.functionPageWeeks): its 25 function pages, already
        // pruned to pages that say what was kept, are kept as they are too.
        #expect(again.steps["Rendering pages"] == "476 pages (341 archived pages kept from the previous site)")
        #expect(again.site == scratch.site)
        #expect(try inode(root, page) == before)

        // A snapshot of W44 changes: W41–W43 stay as they were.
        let file = root.appending(path: "snapshots/2026-W44/cost-explorer.json")
        try (try Data(contentsOf: file) + Data("\n".utf8)).write(to: file)
        let changed = try built(root)
        #expect(changed.steps["Analysing"]?.hasSuffix(", 6 earlier weeks (3 unchanged, from the store)") == true)
        #expect(changed.site == scratch.site)
        #expect(try inode(root, page) == before)

        // A new note for W45: its pages and the later weeks' change, and match a build from scratch.
        try Data("---\nweek: 2026-W45\n---\nThe queue backed up on Tuesday.\n".utf8).write(
            to: root.appending(path: "notes/2026-W45.md"))
        let noted = try built(root)
        #expect(noted.steps["Analysing"]?.hasSuffix(", 6 earlier weeks (4 unchanged, from the store)") == true)
        #expect(noted.site["weeks/2026-W45/notes.html"] != scratch.site["weeks/2026-W45/notes.html"])
        #expect(noted.site["weeks/2026-W44/notes.html"] == scratch.site["weeks/2026-W44/notes.html"])
        try FileManager.default.removeItem(at: root.appending(path: ".headroom"))
        #expect(try built(root, "fresh").site == noted.site)

        // A page of the previous site that is gone, or a changed template, is rendered again.
        try FileManager.default.removeItem(at: root.appending(path: "fresh/weeks/2026-W41/index.html"))
        let mended = try built(root, "fresh")
        #expect(mended.steps["Rendering pages"] == "476 pages (285 archived pages kept from the previous site)")
        #expect(mended.site == noted.site)
        let layout = try String(
            contentsOf: TestSupport.packageRoot.appending(path: "templates/layout.mustache"), encoding: .utf8)
        try FileManager.default.createDirectory(
            at: root.appending(path: "templates"), withIntermediateDirectories: true)
        try Data((layout + "<!-- ours -->\n").utf8).write(to: root.appending(path: "templates/layout.mustache"))
        let themed = try built(root, "fresh")
        #expect(themed.steps["Rendering pages"] == "476 pages")
        #expect(
            String(decoding: themed.site["weeks/2026-W41/index.html"] ?? Data(), as: UTF8.self).contains(
                "<!-- ours -->"))
    }

    @Test func unchangedRemovedAndRebuiltSnapshotsGiveTheSameSite() throws {
        let root = try example()
        defer { try? FileManager.default.removeItem(at: root) }
        let scratch = try build(root)
        #expect(scratch.sources.hasPrefix("124 files, "))
        // Nothing changed: nothing is read again.
        let again = try build(root, "again")
        #expect(again.sources.hasPrefix("124 files (0 read, 124 unchanged), "))
        #expect(again.site == scratch.site)
        // The snapshots of W41–W46 removed once stored: the store stands in for them.
        for week in Self.weeks.dropLast() {
            try FileManager.default.removeItem(at: root.appending(path: "snapshots/\(week)"))
        }
        let archived = try build(root, "archived")
        #expect(archived.sources.hasPrefix("124 files (0 read, 22 unchanged, 102 only in the store), "))
        #expect(archived.site == scratch.site)
        // A changed file in the last week is read again, and only that file.
        let cost = root.appending(path: "snapshots/2026-W47/cost-explorer.json")
        try (try Data(contentsOf: cost) + Data("\n".utf8)).write(to: cost)
        let touched = try build(root, "touched")
        #expect(touched.sources.hasPrefix("124 files (1 read, 21 unchanged, 102 only in the store), "))
        #expect(touched.site == scratch.site)
    }

    /// A week collected again with fewer files: what is no longer in a week folder that is still
    /// there was deleted, not archived, and leaves the store and the site.
    @Test func aFileDeletedFromAWeekStillOnDiskIsGone() throws {
        let root = try example()
        defer { try? FileManager.default.removeItem(at: root) }
        _ = try build(root)
        try FileManager.default.removeItem(at: root.appending(path: "snapshots/2026-W47/security-hub-findings.json"))
        let after = try build(root, "after")
        #expect(after.sources.hasPrefix("123 files (0 read, 123 unchanged, 1 dropped from the store, "))
        let fresh = try example()
        defer { try? FileManager.default.removeItem(at: fresh) }
        try FileManager.default.removeItem(at: fresh.appending(path: "snapshots/2026-W47/security-hub-findings.json"))
        let expected = try build(fresh, "after")
        #expect(after.site == expected.site)
        #expect(try build(root, "again").sources.hasPrefix("123 files (0 read, 123 unchanged), "))
    }

    /// The configured week set back and then forward again: the thinned files the store keeps
    /// for later weeks are not taken for a week that reads them whole, and the site is the one a
    /// build from scratch writes each time.
    @Test func aWeekSetBackAndForwardGivesTheSameSites() throws {
        let root = try example()
        defer { try? FileManager.default.removeItem(at: root) }
        let configuration = root.appending(path: "headroom.yml")
        let text = try String(contentsOf: configuration, encoding: .utf8)
        #expect(text.contains("week: latest"))
        func set(_ week: String?) throws {
            try Data(text.replacingOccurrences(of: "week: latest", with: "week: \(week ?? "latest")").utf8).write(
                to: configuration)
        }
        let latest = try build(root).site
        try set("2026-W43")
        let back = try build(root).site
        try set(nil)
        #expect(try build(root).site == latest)
        let fresh = try example()
        defer { try? FileManager.default.removeItem(at: fresh) }
        try Data(text.replacingOccurrences(of: "week: latest", with: "week: 2026-W43").utf8).write(
            to: fresh.appending(path: "headroom.yml"))
        #expect(try build(fresh).site == back)
    }

    /// A note for a week after the review week waits for its week, with a warning: the review
    /// week's report is the one its archived pages keep.
    @Test func notesAfterTheReviewWeekWaitForTheirWeek() throws {
        let root = try example(weeks: Array(Self.weeks.prefix(5)))
        defer { try? FileManager.default.removeItem(at: root) }
        let options = BuildOptions(
            configuration: root.appending(path: "headroom.yml").path, output: root.appending(path: "public").path)
        var warnings: [String] = []
        _ = try Pipeline.build(options) { event in
            if case .warning(let text) = event { warnings.append(text) }
        }
        let report = try Pipeline.report(options)
        #expect(report.week?.week.description == "2026-W45")
        #expect(report.notes.map(\.path) == ["notes/2026-W45.md"])
        #expect(
            warnings.contains(
                "notes/2026-W47.md: a note for 2026-W47, after the review week (2026-W45); it shows once its week is reviewed"
            ))
    }

    /// Built as CI builds it, a week at a time with only the new week's snapshots on disk and no
    /// previous site: every earlier week is sealed (the store keeps its published pages) and the
    /// files of the weeks before the review week's previous one are compacted (only their thinned
    /// points stay), and the site is still the one a build of all weeks at once writes.
    @Test func weeksWhoseSnapshotsAreGoneAreSealedAndCompacted() throws {
        let all = try example()
        defer { try? FileManager.default.removeItem(at: all) }
        let expected = try build(all).site
        let root = try example(weeks: [])
        defer { try? FileManager.default.removeItem(at: root) }
        var last: (site: [String: Data], steps: [String: String]) = ([:], [:])
        for week in Self.weeks {
            try add(week, to: root)
            try? FileManager.default.removeItem(at: root.appending(path: "public"))
            last = try built(root)
            try FileManager.default.removeItem(at: root.appending(path: "snapshots/\(week)"))
        }
        #expect(last.site == expected)
        // Each build sealed its review week too (earlier weeks' snapshots are gone): the last one
        // writes every earlier week from the store, W41's function pages pruned on the way, with
        // no analysis (W41–W45 could not be analysed again: each reads the week before it
        // whole, and W41–W44 are compacted). Then W47 is sealed, W41 sealed again as pruned, and
        // W45's 5 files with thinned points are compacted.
        #expect(last.steps["Rendering pages"] == "476 pages (341 from the history store)")
        #expect(last.steps["Publishing"]?.hasSuffix("(history store: 2 weeks sealed, 5 files compacted)") == true)
        let entries = try Store(project: root).entries().values
        let compacted = Set(entries.filter(\.compacted).compactMap(\.week))
        #expect(compacted == Set(Self.weeks.prefix(5)))
        #expect(entries.filter(\.compacted).count == 25)
        // What the store keeps of a compacted week is a fraction of a whole one.
        let stored = { (week: String) in entries.filter { $0.week == week }.reduce(0) { $0 + $1.storedBytes } }
        #expect(stored("2026-W41") * 4 < stored("2026-W46"))
        let verified = try StoreCommands.verify(configuration: root.appending(path: "headroom.yml").path)
        #expect(verified.passed)
        #expect(
            try StoreCommands.status(configuration: root.appending(path: "headroom.yml").path).weeks.map(\.compacted)
                == [0, 5, 5, 5, 5, 5, 0, 0])

        // headroom.yml changes: the review week follows it; the weeks the store can no longer
        // analyse keep their pages as built, and the build says so.
        let configuration = root.appending(path: "headroom.yml")
        let text = try String(contentsOf: configuration, encoding: .utf8)
        try Data(text.replacingOccurrences(of: "title: Acme", with: "title: Acme payments").utf8).write(
            to: configuration)
        #expect(text.contains("title: Acme"))
        var warnings: [String] = []
        _ = try Pipeline.build(BuildOptions(configuration: configuration.path)) { event in
            if case .warning(let text) = event { warnings.append(text) }
        }
        #expect(
            warnings.contains {
                $0.hasPrefix("6 earlier weeks (2026-W41–2026-W46) kept as built: the store keeps only thinned points")
            })
        let index = try String(contentsOf: root.appending(path: "public/index.html"), encoding: .utf8)
        #expect(index.contains("Acme payments"))
        #expect(
            try Data(contentsOf: root.appending(path: "public/weeks/2026-W44/index.html"))
                == expected["weeks/2026-W44/index.html"])

        // A week the store keeps compacted cannot be the review week without its snapshots.
        try Data(
            text.replacingOccurrences(of: "title: Acme", with: "title: Acme payments")
                .replacingOccurrences(of: "week: latest", with: "week: 2026-W43").utf8
        ).write(to: configuration)
        let error = try #require(throws: HeadroomError.self) {
            try Pipeline.build(BuildOptions(configuration: configuration.path))
        }
        #expect(error.message.contains("the store keeps only thinned points of snapshots/2026-W4"))
        #expect(error.remedy?.contains("tar -xzf snapshots-2026-W4") == true)

        // A stored report this Headroom cannot read, of a week it cannot analyse again: an error
        // that names the snapshots to restore, and the site stays as it was.
        try Data(text.replacingOccurrences(of: "title: Acme", with: "title: Acme payments").utf8).write(
            to: configuration)
        let site = try Data(contentsOf: root.appending(path: "public/weeks/2026-W43/index.html"))
        do {
            let store = try Store(project: root)
            try store.freeze(week: "2026-W43", inputKey: "an older key", report: Zlib.pack(Data("{}".utf8)))
        }
        let unreadable = try #require(throws: HeadroomError.self) {
            try Pipeline.build(BuildOptions(configuration: configuration.path))
        }
        #expect(unreadable.message.contains("the report of 2026-W43 must be made again"))
        #expect(unreadable.remedy?.contains("restore the snapshots of 2026-W43 and 2026-W42") == true)
        #expect(try Data(contentsOf: root.appending(path: "public/weeks/2026-W43/index.html")) == site)

        // Their snapshots back, the weeks are read again, stored whole, and built as from scratch.
        for week in Self.weeks { try add(week, to: root) }
        // Before the build reads them again, `store verify` checks a compacted file's snapshot
        // against the content it was stored from.
        #expect(try StoreCommands.verify(configuration: configuration.path).passed)
        let compactedFile = try #require(
            try Store(project: root).entries().values.filter { $0.compacted && $0.week == "2026-W41" }.map(\.path).min()
        )
        let snapshot = root.appending(path: compactedFile)
        let original = try Data(contentsOf: snapshot)
        try (original + Data("\n".utf8)).write(to: snapshot)
        let changed = try StoreCommands.verify(configuration: configuration.path)
        #expect(
            changed.findings.contains(
                .differs(compactedFile, reason: "the snapshot is not the one whose thinned points the store keeps")))
        try original.write(to: snapshot)
        let restored = try built(root)
        #expect(try Store(project: root).entries().values.filter(\.compacted).isEmpty)
        let fresh = try example()
        defer { try? FileManager.default.removeItem(at: fresh) }
        try Data(text.replacingOccurrences(of: "title: Acme", with: "title: Acme payments").utf8).write(
            to: fresh.appending(path: "headroom.yml"))
        #expect(restored.site == (try build(fresh).site))
    }

    /// An SLO added once weeks are compacted reads a metric whose points those weeks no longer
    /// have: they count as no data for it (never as good weeks), with a warning.
    @Test func anSLOAddedAfterCompactionFindsNoDataInCompactedWeeks() throws {
        let root = try example(weeks: [])
        defer { try? FileManager.default.removeItem(at: root) }
        for week in Self.weeks {
            try add(week, to: root)
            _ = try built(root)
            try FileManager.default.removeItem(at: root.appending(path: "snapshots/\(week)"))
        }
        let slo = """
            apiVersion: openslo/v1
            kind: SLO
            metadata:
              name: payment-capture-throttles
            spec:
              service: checkout
              indicator:
                metadata:
                  name: payment-capture-throttles
                spec:
                  ratioMetric:
                    counter: false
                    bad:
                      metricSource:
                        type: CloudWatch
                        spec: {namespace: AWS/Lambda, metricName: Throttles, stat: Sum, dimensions: [{name: FunctionName, value: payment-capture}]}
                    total:
                      metricSource:
                        type: CloudWatch
                        spec: {namespace: AWS/Lambda, metricName: Invocations, stat: Sum, dimensions: [{name: FunctionName, value: payment-capture}]}
              timeWindow:
                - duration: 28d
                  isRolling: true
              budgetingMethod: Occurrences
              objectives:
                - displayName: Not throttled
                  target: 0.999

            """
        try Data(slo.utf8).write(to: root.appending(path: "slos/capture.yaml"))
        let options = BuildOptions(configuration: root.appending(path: "headroom.yml").path)
        var warnings: [String] = []
        _ = try Pipeline.build(options) { event in
            if case .warning(let text) = event { warnings.append(text) }
        }
        #expect(
            warnings.contains {
                $0.hasPrefix(
                    "5 compacted files of 2026-W41–2026-W45 kept only thinned points of what is now read point by point"
                )
                    && $0.contains("AWS/Lambda Throttles")
            }, "\(warnings)")
        let report = try Pipeline.report(options)
        let added = try #require(report.slos.first { $0.name == "payment-capture-throttles" })
        let weekly = Dictionary(uniqueKeysWithValues: added.weekly.map { ($0.week.description, $0.attainment) })
        #expect(weekly["2026-W44"] == .some(nil) && weekly["2026-W45"] == .some(nil), "\(weekly)")
        #expect(weekly["2026-W46"]??.isFinite == true && weekly["2026-W47"]??.isFinite == true)
        // The next build starts from the thinned fragments kept for the new list.
        var again: [String] = []
        _ = try Pipeline.build(options) { event in
            if case .warning(let text) = event { again.append(text) }
        }
        #expect(!again.contains { $0.contains("compacted file") })
        #expect(try Pipeline.report(options).slos == report.slos)
    }

    /// Adding a week analyses and renders only that week: every earlier week's report comes from
    /// the store and its archived pages stay as published (the same files), and the site is the
    /// one a build of all weeks at once writes.
    @Test func oneWeekAtATimeGivesTheSameSiteAsAllAtOnce() throws {
        let all = try example()
        defer { try? FileManager.default.removeItem(at: all) }
        let expected = try build(all).site
        let root = try example(weeks: [])
        defer { try? FileManager.default.removeItem(at: root) }
        var archived = 0
        for (index, week) in Self.weeks.enumerated() {
            try add(week, to: root)
            let previous = index > 0 ? try inode(root, "public/weeks/\(Self.weeks[index - 1])/index.html") : nil
            let built = try built(root)
            #expect(
                built.steps["Reading sources"]?.hasPrefix(
                    // W47 has 3 X-Ray files more.
                    index == 0
                        ? "19 files, "
                        : week == "2026-W47"
                            ? "\(22 + 17 * index) files (20 read, " : "\(19 + 17 * index) files (17 read, ")
                    == true)
            #expect(
                built.steps["Analysing"]?.hasSuffix(
                    index == 0 ? "resources" : ", \(plural(index, "earlier week")) (\(index) unchanged, from the store)"
                )
                    == true, "\(week)")
            let pages = built.site.keys.filter { $0.hasPrefix("weeks/\(week)/") && $0.hasSuffix(".html") }.count
            // With W47, W41's 25 function pages are beyond archive.functionPageWeeks: made again.
            let kept = archived - (week == "2026-W47" ? 25 : 0)
            #expect(
                built.steps["Rendering pages"]
                    == "\(plural(built.site.keys.filter { $0.hasSuffix(".html") }.count, "page"))"
                    + (archived > 0 ? " (\(kept) archived pages kept from the previous site)" : ""))
            if let previous {
                #expect(try inode(root, "public/weeks/\(Self.weeks[index - 1])/index.html") == previous)
            }
            archived += pages
        }
        #expect(try build(root).site == expected)
    }

    /// With `archive.functionPageWeeks: 2`, the weeks before the review week's previous one keep
    /// every page but their function pages, which say what was kept; built a week at a time or
    /// all at once, the site is the same.
    @Test func functionPagesBeyondTheSettingSayWhatWasKept() throws {
        func limit(_ root: URL) throws {
            let file = root.appending(path: "headroom.yml")
            try (String(decoding: try Data(contentsOf: file), as: UTF8.self) + "archive:\n  functionPageWeeks: 2\n")
                .write(to: file, atomically: true, encoding: .utf8)
        }
        let all = try example()
        defer { try? FileManager.default.removeItem(at: all) }
        try limit(all)
        let expected = try build(all).site
        let page = "functions/payment-capture.html"
        for week in ["2026-W46", "2026-W47"] {
            #expect(String(decoding: try #require(expected["weeks/\(week)/\(page)"]), as: UTF8.self).contains("<h2"))
        }
        for week in Self.weeks.dropLast(2) {
            let pruned = String(decoding: try #require(expected["weeks/\(week)/\(page)"]), as: UTF8.self)
            #expect(pruned.contains("keeps the function pages of the latest 2 weeks"), "\(week)")
            #expect(pruned.contains(#"<a href="../services/checkout.html">The checkout service in week \#(week)</a>"#))
            #expect(
                pruned.contains(#"<a href="../../../functions/payment-capture.html">payment-capture in the latest"#))
            #expect(expected["weeks/\(week)/services/checkout.html"] != nil)
            #expect(pruned.utf8.count < 1_500)
        }
        let root = try example(weeks: [])
        defer { try? FileManager.default.removeItem(at: root) }
        try limit(root)
        // A pruned page is written once, in the build that pushes its week beyond the setting;
        // later builds keep it (the same file).
        var before: UInt64?
        for (index, week) in Self.weeks.enumerated() {
            try add(week, to: root)
            let built = try built(root)
            let pruned = "public/weeks/\(Self.weeks[0])/\(page)"
            if index >= 3 { #expect(try inode(root, pruned) == before, "\(week)") }
            before = index >= 2 ? try inode(root, pruned) : nil
            // Every page of the earlier weeks is kept but the 25 function pages of the week pushed
            // beyond the setting.
            if index >= 1 {
                let earlier = built.site.keys.filter { key in
                    key.hasSuffix(".html") && Self.weeks[..<index].contains { key.hasPrefix("weeks/\($0)/") }
                }.count
                #expect(
                    built.steps["Rendering pages"]?.hasSuffix(
                        "(\(earlier - (index >= 2 ? 25 : 0)) archived pages kept from the previous site)") == true,
                    "\(week): \(built.steps["Rendering pages"] ?? "")")
            }
        }
        #expect(try build(root).site == expected)
    }
}

/// Pages of one get-metric-data request saved as separate files count together, whatever their
/// names: the moto capture split in two, the first page ending in PartialData with a NextToken.
/// The pages a sealed week keeps in the store come back as they went in; damaged bytes, or a path
/// that would leave the week's folder, are refused.
@Suite struct SealedPagesTests {
    @Test func pagesRoundTripAndHostileBytesAreRefused() throws {
        let pages: [(path: String, contents: Data)] = [
            ("index.html", Data("<p>week</p>".utf8)), ("functions/a b.html", Data()),
            ("services/x.rows.js", Data((0..<5_000).map { UInt8($0 % 251) })),
        ]
        let encoded = SealedPages.encode(pages)
        let back = try #require(SealedPages.decode(encoded))
        #expect(back.map(\.path) == pages.map(\.path))
        #expect(back.map(\.contents) == pages.map(\.contents))
        #expect(SealedPages.decode(SealedPages.encode([]))?.isEmpty == true)
        for path in ["../index.html", "/etc/passwd", "a/../../b", "a//b", ""] {
            #expect(SealedPages.decode(SealedPages.encode([(path, Data("x".utf8))])) == nil, "\(path)")
        }
        // Truncated at every length: refused, never a crash.
        let raw = try #require(Zlib.unpack(encoded))
        for length in 1..<40 { #expect(SealedPages.decode(Zlib.pack(raw.prefix(raw.count - length))) == nil) }
        #expect(SealedPages.decode(encoded.prefix(encoded.count - 3)) == nil)
    }
}

@Suite struct SplitPagesTests {
    @Test func pagesOfOneRequestAreMerged() throws {
        let whole = try Project()
        defer { whole.remove() }
        let split = try Project()
        defer { split.remove() }
        let capture = try TestSupport.fixtureData("cloudwatch-get-metric-data/moto-cli-v1-epoch.json")
        let query = try TestSupport.fixtureData("cloudwatch-get-metric-data/moto-cli-v1-epoch.query.json")
        let page1 = """
            {"MetricDataResults": [{"Id": "inv", "Label": "Invocations Sum", "Timestamps": [1794830400, 1794826800], \
            "Values": [120.0, 110.0], "StatusCode": "PartialData"}], "NextToken": "page-2"}
            """
        let page2 = """
            {"MetricDataResults": [{"Id": "inv", "Label": "Invocations Sum", "Timestamps": [1794823200], \
            "Values": [100.0], "StatusCode": "Complete"}, {"Id": "twice", "Label": "Doubled", "Timestamps": [], \
            "Values": [], "StatusCode": "Complete"}]}
            """
        try FileManager.default.removeItem(at: split.root.appending(path: "snapshots/2026-W47"))
        // Named so that the second page sorts first.
        for (name, text) in [("b-first-page", page1), ("a-second-page", page2)] {
            try split.write("snapshots/2026-W47/\(name).json", text)
            try split.write("snapshots/2026-W47/\(name).query.json", String(decoding: query, as: UTF8.self))
        }
        #expect(capture.count > 0)
        func figures(_ project: Project) throws -> [String] {
            try Pipeline.report(project.options).functions.map {
                "\($0.name) \($0.current.invocations.map { String($0) } ?? "none")"
            }
        }
        #expect(try figures(whole) == ["orders-api 330.0"])
        #expect(try figures(split) == ["orders-api 330.0"])
    }
}

/// Every input file is accounted for on the Sources page: read, read with warnings, empty, invalid
/// with its reason, or not read with the reason. Swept over every fixture folder.
@Suite struct EveryFileAccountedForTests {
    @Test func everyFixtureShowsUpOnTheSourcesPage() throws {
        let project = try Project()
        defer { project.remove() }
        let fixtures = project.root.appending(path: "fixtures")
        try FileManager.default.copyItem(at: TestSupport.packageRoot.appending(path: "Tests/Fixtures"), to: fixtures)
        for folder in ["golden", "store"] { try FileManager.default.removeItem(at: fixtures.appending(path: folder)) }
        // A Prometheus exposition saved as .prom is read like .txt.
        let exposition = try FileManager.default.contentsOfDirectory(
            atPath: fixtures.appending(path: "prometheus").path
        )
        .sorted().first { $0.hasSuffix(".txt") && !$0.hasPrefix("bad-") }
        let prom = try #require(exposition)
        try FileManager.default.copyItem(
            at: fixtures.appending(path: "prometheus/\(prom)"),
            to: fixtures.appending(path: "prometheus/exposition-copy.prom"))
        try project.write("headroom.yml", "title: Sweep\ntimeZone: UTC\nsources: [fixtures]\nonInvalidInput: warn\n")
        _ = try Pipeline.build(project.options)
        let page = try #require(project.read("sources.html"))
        let enumerator = FileManager.default.enumerator(at: fixtures, includingPropertiesForKeys: nil)!
        var checked = 0
        for case let url as URL in enumerator where !url.hasDirectoryPath {
            let path =
                "fixtures/"
                + String(url.standardizedFileURL.path.dropFirst(fixtures.standardizedFileURL.path.count + 1))
            // A query file is read with the file it belongs to.
            if path.hasSuffix(".query.json"),
                ["json", "log", "txt", "csv", "yaml", "yml"].contains(where: {
                    FileManager.default.fileExists(
                        atPath: url.path.replacingOccurrences(of: ".query.json", with: ".\($0)"))
                })
            {
                continue
            }
            #expect(page.contains("<code>\(path)</code>"), "\(path) is not on the Sources page")
            checked += 1
        }
        #expect(checked > 300)
        #expect(page.contains("<code>fixtures/prometheus/exposition-copy.prom</code></th><td>prometheus-text</td>"))
        #expect(page.contains("<code>fixtures/lambda-logs/README.md</code></th><td>not read</td>"))
        #expect(page.contains("Markdown is not an input (notes belong in notes/)"))
    }
}

/// Cost data alone makes a week with data; MONTHLY periods are named as read but not used.
@Suite struct CostOnlyProjectTests {
    @Test func aProjectWithOnlyCostDataHasItsWeek() throws {
        let project = try Project()
        defer { project.remove() }
        try FileManager.default.removeItem(at: project.root.appending(path: "snapshots/2026-W47"))
        for (folder, name) in [
            ("2026-W47", "shaped-daily-by-service-and-tag.json"), ("2026-W47", "shaped-monthly-by-service.json"),
        ] {
            try project.write(
                "snapshots/\(folder)/\(name)",
                String(decoding: try TestSupport.fixtureData("cost-explorer/\(name)"), as: UTF8.self))
        }
        let result = try Pipeline.build(project.options)
        #expect(result.week != nil)
        let sources = try #require(project.read("sources.html"))
        #expect(sources.contains("longer than a day (MONTHLY): used for the month totals on the Costs page"))
        #expect(result.week?.description == "2026-W47")
        let costs = try #require(project.read("costs.html"))
        #expect(!costs.contains("No daily cost data"))
        // November's MONTHLY period (1 to 21 Nov) is the month's figure, not the two daily records:
        // 886.8718082697 so far, ÷ 21 days × 30 = 1,266.96 forecast.
        #expect(costs.contains("Month 2026-11: 886.87 USD to date, 1,266.96 USD forecast at this pace."))
        #expect(
            costs.contains(
                "<th scope=\"row\">2026-11</th><td class=\"num\">886.87 USD</td><td>monthly records, days 1 to 21 of 30; some amounts are estimates</td>"
            ))
    }

    @Test func aProjectWithOnlyMonthlyCostDataShowsTheMonths() throws {
        let project = try Project()
        defer { project.remove() }
        try FileManager.default.removeItem(at: project.root.appending(path: "snapshots/2026-W47"))
        try project.write(
            "snapshots/2026-W47/monthly.json",
            String(decoding: try TestSupport.fixtureData("cost-explorer/shaped-monthly-by-service.json"), as: UTF8.self)
        )
        try project.write("headroom.yml", "title: Monthly\ntimeZone: UTC\nweek: 2026-W47\n")
        _ = try Pipeline.build(project.options)
        let costs = try #require(project.read("costs.html"))
        #expect(costs.contains("No daily cost data for week 2026-W47"))
        #expect(costs.contains("<th scope=\"row\">2026-09</th>"))
        #expect(costs.contains("monthly records, days 1 to 21 of 30"))
    }
}

/// A Trusted Advisor service-limit row whose Current Usage is null keeps its quota, with its usage
/// not known: never dropped.
@Suite struct UnknownQuotaUsageTests {
    @Test func aNullCurrentUsageIsNoDataNotAMissingQuota() throws {
        let project = try Project()
        defer { project.remove() }
        let catalog = try TestSupport.fixtureData(
            "trusted-advisor/describe-trusted-advisor-checks-lambda-and-limits.json")
        try project.write("snapshots/2026-W47/trusted-advisor-checks.json", String(decoding: catalog, as: UTF8.self))
        var result = String(
            decoding: try TestSupport.fixtureData(
                "trusted-advisor/nasty-check-result-6gtQddfEw6-null-metadata-blue.json"),
            as: UTF8.self)
        // The Blue row of sa-east-1 gets its limit; its Current Usage stays null.
        let row = try #require(
            result.range(
                of:
                    "\"sa-east-1\",\n                    \"DynamoDB\",\n                    \"Read Capacity\",\n                    null,"
            ))
        result.replaceSubrange(
            row,
            with:
                "\"sa-east-1\",\n                    \"DynamoDB\",\n                    \"Read Capacity\",\n                    \"80000\","
        )
        try project.write("snapshots/2026-W47/trusted-advisor-result.json", result)
        let report = try Pipeline.report(project.options)
        let quota = try #require(report.quotas.first { $0.name == "Read Capacity (sa-east-1)" })
        #expect(quota.limit == 80000)
        #expect(quota.status == .noData && quota.utilisation == nil && quota.peak == nil)
        #expect(report.quotas.first { $0.name == "Read Capacity (eu-central-1)" }?.peak == 67500)
    }
}

/// list-functions pages saved as separate files are one listing, merged by function name; the
/// first page's NextToken keeps the week's inventory coverage partial, as the output cannot say
/// which page follows it.
@Suite struct ListingPagesTests {
    @Test func pagesOfListFunctionsAreOneInventory() throws {
        let project = try Project()
        defer { project.remove() }
        for page in ["1", "2"] {
            let name = "moto-list-functions-max-items-2-page-\(page).json"
            try project.write(
                "snapshots/2026-W47/list-functions-page-\(page).json",
                String(decoding: try TestSupport.fixtureData("lambda-functions/\(name)"), as: UTF8.self))
        }
        let report = try Pipeline.report(project.options)
        let pages = report.sources.filter { $0.path.contains("list-functions-page") }
        #expect(pages.map(\.recordCount) == [2, 2])
        #expect(pages.map(\.status) == [.read(.lambdaFunctions), .read(.lambdaFunctions)])
        // orders-api is listed on the first page: its configuration is known.
        #expect(report.functions.first { $0.name == "orders-api" }?.timeoutSeconds == 6)
        #expect(report.weekCoverage?.level(.inventory) == .partial)
    }
}

/// What the history store keeps of a week: its report without the chart datapoints, which comes
/// back with every figure as it was; and the page paths that decide the week navigation.
@Suite struct FrozenReportTests {
    @Test func everyWeekOfTheExampleComesBackFromItsEncoding() throws {
        let root = try HistoryStoreBuildTests().example()
        defer { try? FileManager.default.removeItem(at: root) }
        let configuration = root.appending(path: "headroom.yml").path
        let latest = try Pipeline.report(BuildOptions(configuration: configuration))
        #expect(latest.weeksWithData.count == 7)
        for week in latest.weeksWithData {
            var text = try String(contentsOfFile: configuration, encoding: .utf8)
            text = text.split(separator: "\n").filter { !$0.hasPrefix("week:") }.joined(separator: "\n")
            try Data((text + "\nweek: \(week)\n").utf8).write(to: URL(fileURLWithPath: configuration))
            let report = try Pipeline.report(BuildOptions(configuration: configuration))
            let encoded = FrozenReport.encode(report)
            let decoded = try #require(FrozenReport.decode(encoded))
            #expect(decoded.dump == report.slim.dump)
            #expect(FrozenReport.encode(decoded) == encoded)
            #expect(report.slim.functions.allSatisfy { $0.series.invocations.isEmpty })
            #expect(encoded.count < 400_000)
        }
        #expect(FrozenReport.decode(Data("{".utf8)) == nil)
        // A report stored as JSON by an earlier Headroom still reads: a compacted week keeps it.
        let report = try Pipeline.report(BuildOptions(configuration: configuration))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "+inf", negativeInfinity: "-inf", nan: "nan")
        let json = Zlib.pack(try encoder.encode(report.slim))
        #expect(try #require(FrozenReport.decode(json)).dump == report.slim.dump)
    }

    /// The page plan of the example, every week's pages with what each is made with, against a
    /// reviewed golden file; the build writes exactly the pages it plans, and
    /// `SiteBuilder.pagePaths`, which the week navigation of kept pages rests on, names exactly the
    /// pages a week's folder gets.
    @Test func thePagePlanOfTheExampleMatchesItsGoldenFileAndTheSite() throws {
        let root = try HistoryStoreBuildTests().example()
        defer { try? FileManager.default.removeItem(at: root) }
        let options = BuildOptions(
            configuration: root.appending(path: "headroom.yml").path, output: root.appending(path: "public").path)
        let outline = try Pipeline.outline(options)
        if let difference = try TestSupport.assertGolden(outline, named: "acme-page-plan.txt") {
            Issue.record(Comment(rawValue: difference))
        }
        let report = try Pipeline.report(options)
        _ = try Pipeline.build(options)
        let site = root.appending(path: "public").standardizedFileURL
        var written: [String] = []
        for case let url as URL in FileManager.default.enumerator(at: site, includingPropertiesForKeys: nil)!
        where url.pathExtension == "html" {
            written.append(String(url.standardizedFileURL.path.dropFirst(site.path.count + 1)))
        }
        let planned = outline.split(separator: "\n").map { String($0.split(separator: " ")[0]) }
        #expect(
            planned.sorted()
                == written.filter { !["404.html", "weeks/index.html", "review-2026-W47.html"].contains($0) }.sorted())
        let week = "weeks/2026-W47/"
        #expect(
            SiteBuilder.pagePaths(report).sorted()
                == written.filter { $0.hasPrefix(week) }.map { String($0.dropFirst(week.count)) }.sorted())
        #expect(written.count > 50)
    }
}

/// Thinning (`Analysis.thinned`) leaves every week's report as it is, so a build can hold the
/// older weeks' points thinned: the dumps are recomputed from whole data and compared.
@Suite struct ThinningTests {
    @Test func everyWeekOfTheExampleReadsTheSameFromThinnedData() throws {
        let root = try HistoryStoreBuildTests().example()
        defer { try? FileManager.default.removeItem(at: root) }
        let url = root.appending(path: "headroom.yml")
        let project = url.deletingLastPathComponent()
        let configuration = try ConfigurationLoader.load(from: url, display: "headroom.yml")
        let catalog = try CatalogLoader.builtIn()
        let store = try Store(project: project, rebuild: false) {}
        let ingested = try Ingestion.read(configuration, project: project, store: store, catalog: catalog) { _ in }
        var whole = ingested.files
        for index in whole.indices {
            whole[index].fragment = try store.fragment(whole[index].path)
            whole[index].removed = nil
        }
        // Reading thinned the weeks before the last two (hourly data, 7 weeks: to about half), and
        // kept the SLO and quota metrics whole.
        let count = { (files: [Ingestion.File]) in files.map { $0.fragment.series.map(\.points.count).reduce(0, +) } }
        let (thinnedPoints, wholePoints) = (count(ingested.files).reduce(0, +), count(whole).reduce(0, +))
        #expect(thinnedPoints * 10 < wholePoints * 6)
        let keep = Analysis.wholeMetrics(ingested.dataset, catalog: catalog)
        #expect(
            !ingested.dataset.slis.isEmpty && !ingested.dataset.quotas.isEmpty
                && !ingested.dataset.reservedConcurrency.isEmpty)
        for (thinned, full) in zip(ingested.files, whole) {
            for (a, b) in zip(thinned.fragment.series, full.fragment.series) where keep.contains(b) {
                #expect(a.points == b.points)
            }
        }
        // Read again: the thinned files come from the store as they were thinned, with the metrics
        // this reading found to keep whole.
        let storeFile = project.appending(path: Store.display)
        let bytes = try Data(contentsOf: storeFile)
        let again = try Ingestion.read(configuration, project: project, store: store, catalog: catalog) { _ in }
        #expect(try Data(contentsOf: storeFile) == bytes, "a second reading writes nothing")
        #expect(again.files.map(\.fragment) == ingested.files.map(\.fragment))
        #expect(again.files.map(\.removed) == ingested.files.map(\.removed))
        let old = try #require(ingested.files.first { $0.week?.description == "2026-W41" && $0.removed != nil })
        let keepKey = Store.sha256(Data(keep.text.utf8))
        let zone = TimeZone(identifier: configuration.timeZone)!
        let cut = ISOWeek("2026-W46")!.interval(in: zone).lowerBound
        #expect(try store.thinned(old.path, keepKey: keepKey, before: cut)?.fragment == old.fragment)
        #expect(try store.thinned(old.path, keepKey: "another list", before: cut) == nil)
        func history(_ files: [Ingestion.File]) throws -> History {
            History(
                files: files,
                notes: try NoteReader.read(folder: project.appending(path: "notes"), display: "notes", root: project),
                configuration: configuration, catalog: catalog, prices: try PriceTableLoader.builtIn(),
                rules: try Pipeline.rules(configuration, project: project), fingerprint: "", store: store,
                keepKey: keepKey)
        }
        let (thinnedHistory, wholeHistory) = (try history(ingested.files), try history(whole))
        let weeks = try wholeHistory.analyse(ISOWeek?.none).weeksWithData
        #expect(weeks.count == 7)
        #expect(try thinnedHistory.analyse(ISOWeek?.none).dump == wholeHistory.analyse(ISOWeek?.none).dump)
        for week in weeks {
            let expected = try wholeHistory.analyse(week).dump
            // As a build reads it: thinned before the last two weeks, whole again where it must be.
            #expect(try thinnedHistory.analyse(week).dump == expected, "\(week)")
            // Thinned everywhere but the week and the week before it.
            let interval = week.previous.interval(in: zone).lowerBound..<week.interval(in: zone).upperBound
            var files = whole
            for index in files.indices {
                files[index].fragment = Analysis.thinned(files[index].fragment, whole: interval, keep: keep).dataset
            }
            #expect(try history(files).analyse(week).dump == expected, "\(week) thinned around it")
        }
    }

    /// First and last of each UTC day outside the whole span; unordered series stay whole.
    @Test func thinningKeepsTheDaysEnds() {
        let day: Int64 = 86_400
        let times: [Int64] = [
            0, 600, 1200, day - 60, day, day + 300, 3 * day, 3 * day + 60, 3 * day + 120, 4 * day + 5,
        ]
        let series = MetricSeries(
            identity: .metric(
                MetricStat(namespace: "AWS/Lambda", metricName: "Duration", dimensions: [], stat: "p99", period: 60)),
            label: "d", points: times.map { Point(time: Instant(seconds: $0), value: Double($0)) }, source: "a.json")
        let keep = Analysis.wholeMetrics(Dataset(), catalog: ServiceCatalog(namespaces: []))
        let whole = Instant(seconds: 3 * day + 60)..<Instant(seconds: 3 * day + 61)
        let (thinned, removed, latest) = Analysis.thinned(Dataset(series: [series]), whole: whole, keep: keep)
        let expected: [Int64] = [0, day - 60, day, day + 300, 3 * day, 3 * day + 60, 3 * day + 120, 4 * day + 5]
        #expect(thinned.series[0].points.map(\.time.seconds) == expected)
        #expect(removed == Instant(seconds: 600)...Instant(seconds: 1200))
        #expect(latest == Instant(seconds: 4 * day + 5))
        var shuffled = series
        shuffled.points.swapAt(0, 1)
        #expect(Analysis.thinned(Dataset(series: [shuffled]), whole: whole, keep: keep).removed == nil)
        var concurrency = series
        concurrency.identity = .metric(
            MetricStat(
                namespace: "AWS/Lambda", metricName: "ConcurrentExecutions", dimensions: [], stat: "Maximum", period: 60
            ))
        #expect(Analysis.thinned(Dataset(series: [concurrency]), whole: whole, keep: keep).removed == nil)
        // A function's concurrency is thinned, unless it has reserved concurrency.
        concurrency.identity = .metric(
            MetricStat(
                namespace: "AWS/Lambda", metricName: "ConcurrentExecutions",
                dimensions: [MetricDimension(name: "FunctionName", value: "f")], stat: "Maximum", period: 60))
        #expect(Analysis.thinned(Dataset(series: [concurrency]), whole: whole, keep: keep).removed != nil)
        let reserved = Analysis.wholeMetrics(
            Dataset(reservedConcurrency: [ReservedConcurrency(function: "f", reserved: 5, source: "r.json")]),
            catalog: ServiceCatalog(namespaces: []))
        #expect(reserved.covers(keep) && !keep.covers(reserved))
        #expect(Analysis.thinned(Dataset(series: [concurrency]), whole: whole, keep: reserved).removed == nil)
    }
}
