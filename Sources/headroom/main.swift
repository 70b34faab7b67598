import ArgumentParser
import Foundation
import HeadroomKit
import HeadroomModel
import HeadroomServe

/// Exit codes: 0 success, 1 the build failed, 2 a usage or configuration error.
struct HeadroomCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "headroom",
        abstract: "Turns a serverless team's AWS data into a static weekly operations review.",
        discussion: "Exit codes: 0 success, 1 the build failed, 2 a usage or configuration error.",
        version: Headroom.version,
        subcommands: [
            Build.self, Serve.self, Check.self, Init.self, Week.self, Queries.self, AthenaQuery.self,
            StoreCommand.self, GalleryCommand.self,
        ])
}

struct OutputOptions: ParsableArguments {
    @Flag(name: .shortAndLong, help: "Print only errors and warnings.")
    var quiet = false

    @Flag(name: .shortAndLong, help: "Also print what happened to every input file.")
    var verbose = false

    func validate() throws {
        if quiet && verbose { throw ValidationError("--quiet and --verbose cannot be used together") }
    }
}

struct GateOptions: ParsableArguments {
    @Flag(name: .long, help: "Report failing gates but exit 0.")
    var warnOnly = false

    @Option(name: .long, help: "Also write the gates and findings as JUnit XML to this file.")
    var junit: String?

    /// Prints the gates, writes the JUnit file, and exits 1 when a gate failed (unless --warn-only).
    func finish(_ outcome: CheckOutcome, quiet: Bool) throws {
        if let junit { try outcome.writeJUnit(to: junit) }
        if outcome.gates.isEmpty {
            if !quiet { Console.out("No gates in headroom.yml: add gates: to fail a pipeline on what matters.") }
            return
        }
        let failed = outcome.gates.filter { !$0.passed && !$0.gate.warnOnly }.count
        let warned = outcome.gates.filter { !$0.passed && $0.gate.warnOnly }.count
        for result in outcome.gates where !quiet || !result.passed {
            let label = result.passed ? "ok  " : result.gate.warnOnly ? "warn" : "FAIL"
            Console.out("\(label)  \(result.gate.name)")
            for failure in result.failures { Console.out("      \(failure)") }
        }
        Console.out(
            "\(failed) of \(plural(outcome.gates.count, "gate")) failed" + (warned > 0 ? ", \(warned) warned" : "")
                + (outcome.week.map { " for week \($0)" } ?? "")
                + (outcome.failed && warnOnly ? " (--warn-only: exit 0)" : "") + ".")
        if outcome.failed && !warnOnly { throw ExitCode(1) }
    }
}

struct StoreOptions: ParsableArguments {
    @Flag(
        name: .long,
        help: "Delete the history store (.headroom/) and rebuild it from the snapshots on disk.")
    var rebuildStore = false
}

struct StoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "Look after the history store, .headroom/store.sqlite: what each snapshot file held, read once.",
        subcommands: [Status.self, Verify.self, Forget.self])

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show the weeks stored, their sources, and the bytes they take against their snapshots.")

        @Option(name: .long, help: "The configuration file; its folder is the report project.")
        var config = "headroom.yml"

        func run() throws {
            print(try StoreCommands.status(configuration: config).text, terminator: "")
        }
    }

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check the store's pages, and every stored file against its snapshot where it is still there.",
            discussion: "Exit codes: 0 everything matches, 1 a difference or damage, 2 a usage error.")

        @Option(name: .long, help: "The configuration file; its folder is the report project.")
        var config = "headroom.yml"

        func run() throws {
            let result = try StoreCommands.verify(configuration: config) { finding in
                if case .differs(let path, let reason) = finding { Console.out("differs     \(path): \(reason)") }
            }
            let same = result.findings.filter { if case .same = $0 { true } else { false } }.count
            let storeOnly = result.findings.filter { if case .storeOnly = $0 { true } else { false } }.count
            let differs = result.findings.count - same - storeOnly
            Console.out("SQLite integrity check: \(result.integrity)")
            Console.out(
                "\(plural(same, "file")) the same as \(same == 1 ? "its snapshot" : "their snapshots"), "
                    + "\(storeOnly) only in the store (checked against their SHA-256), \(differs) different.")
            if !result.passed { throw ExitCode(1) }
        }
    }

    struct Forget: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove a week from the store (its snapshots, where still present, are read again next build).")

        @Option(name: .long, help: "The configuration file; its folder is the report project.")
        var config = "headroom.yml"

        @Argument(help: "The ISO week to forget, such as 2026-W47.")
        var week: String

        func run() throws {
            let removed = try StoreCommands.forget(configuration: config, week: week)
            Console.out("Forgot \(plural(removed, "file")) of \(week).")
        }
    }
}

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Judge the gates of headroom.yml on the report week; exit 1 when one fails.",
        discussion:
            "Exit codes: 0 every gate passes (or --warn-only), 1 a gate failed or the analysis failed, 2 a usage or configuration error."
    )

    @Option(name: .long, help: "The configuration file; its folder is the report project.")
    var config = "headroom.yml"

    @OptionGroup var gates: GateOptions

    @OptionGroup var store: StoreOptions

    func run() throws {
        let options = BuildOptions(configuration: config, rebuildStore: store.rebuildStore)
        let outcome = try Pipeline.check(options) { event in
            if case .warning(let text) = event { Console.error("warning: \(text)") }
        }
        try gates.finish(outcome, quiet: false)
    }
}

struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Build, serve the site over HTTP, and rebuild and reload the open pages when a project file changes.",
        discussion: """
            Watches the project folder (headroom.yml, snapshots, notes, slos, checks, templates), not the \
            output. The files written are those of headroom build; only the pages as served carry a small \
            reload script. A failed build keeps the last good site served, with the error over its pages.
            """)

    @Option(name: .long, help: "The configuration file; its folder is the report project.")
    var config = "headroom.yml"

    @Option(name: .shortAndLong, help: "The output folder (default: public beside the configuration).")
    var output: String?

    @Option(name: .long, help: "The port to listen on; 0 lets the system choose a free one.")
    var port: UInt16 = 8080

    @Option(
        name: .long, help: "The address to listen on; anything but 127.0.0.1 or ::1 is reachable from other machines.")
    var host = "127.0.0.1"

    @OptionGroup var store: StoreOptions

    func run() throws {
        let options = HeadroomServe.Serve.Options(
            build: BuildOptions(configuration: config, output: output, rebuildStore: store.rebuildStore), host: host,
            port: port)
        try HeadroomServe.Serve.run(options) { line in
            // Unbuffered: a pipe (a test, a log collector) sees each line as it happens.
            let handle =
                line.hasPrefix("warning:") || line.hasPrefix("error:") ? FileHandle.standardError : .standardOutput
            handle.write(Data((line + "\n").utf8))
        }
    }
}

struct Build: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Build the report site from a report project.")

    @Option(name: .long, help: "The configuration file; its folder is the report project.")
    var config = "headroom.yml"

    @Option(name: .shortAndLong, help: "The output folder (default: public beside the configuration).")
    var output: String?

    @Option(name: .long, help: "Also write the report as stable text (every figure, full precision) to this file.")
    var dumpReport: String?

    @Flag(name: .long, help: "Also judge the gates of headroom.yml, as headroom check does.")
    var check = false

    @OptionGroup var gates: GateOptions

    @Option(name: .long, help: "After the build, post slack.json to this Slack incoming webhook (3 attempts).")
    var notifyWebhook: String?

    @Option(name: .long, help: "Seconds to wait for the webhook's answer, each attempt.")
    var notifyTimeout = 10.0

    @OptionGroup var outputOptions: OutputOptions

    @OptionGroup var store: StoreOptions

    func validate() throws {
        if !check && (gates.warnOnly || gates.junit != nil) {
            throw ValidationError("--warn-only and --junit need --check")
        }
        if notifyWebhook == nil && notifyTimeout != 10 {
            throw ValidationError("--notify-timeout needs --notify-webhook")
        }
        guard notifyTimeout > 0 && notifyTimeout <= 300 else {
            throw ValidationError("--notify-timeout must be more than 0 and at most 300 seconds")
        }
    }

    func run() throws {
        let webhook = try notifyWebhook.map { (text) throws(HeadroomError) in try Webhook.validate(text) }
        let options = BuildOptions(
            configuration: config, output: output, dumpReport: dumpReport, check: check,
            rebuildStore: store.rebuildStore)
        let result = try Pipeline.build(options) { event in
            switch event {
            case .step(let index, let total, let name, let detail, let seconds):
                if !outputOptions.quiet {
                    Console.out(String(format: "[%d/%d] %@: %@, %.2f s", index, total, name, detail, seconds))
                }
            case .detail(let text):
                if outputOptions.verbose { Console.out("      \(text)") }
            case .warning(let text):
                Console.error("warning: \(text)")
            }
        }
        if !outputOptions.quiet {
            Console.out(
                "Built \(plural(result.pages, "page")). Open \(result.output.appending(path: "index.html").path)")
        }
        // The notification goes out before the gates judge, so that a failing week is posted too.
        if let webhook {
            guard let message = result.slackMessage else {
                throw HeadroomError(
                    .publish, "there is no week with data to notify about", remedy: "collect data first")
            }
            let attempts = try Webhook.post(message, to: webhook, timeout: notifyTimeout) {
                Console.error("warning: \($0)")
            }
            if !outputOptions.quiet {
                Console.out(
                    "Posted slack.json to \(webhook.host ?? "the webhook")"
                        + (attempts > 1 ? " (attempt \(attempts))" : ""))
            }
        }
        if let outcome = result.check { try gates.finish(outcome, quiet: outputOptions.quiet) }
    }
}

struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Create a report project that builds as it stands.")

    @Argument(help: "The folder to create the project in.")
    var directory = "."

    @Flag(
        name: .long,
        help: "Write the Acme example instead of an empty project: seven weeks of AWS data, notes, SLOs and checks.")
    var example = false

    func run() throws {
        let url = URL(fileURLWithPath: directory).standardizedFileURL
        let written = try Scaffold.write(to: url, example: example)
        if example {
            // The week folders' files, in one line.
            let inWeeks = { (path: String) in path.hasPrefix("snapshots/") && path.dropFirst(10).contains("/") }
            let snapshots = written.filter(inWeeks).count
            for path in written where !inWeeks(path) {
                Console.out("created \(directory == "." ? path : "\(directory)/\(path)")")
            }
            Console.out("created \(snapshots) snapshot files in \(directory == "." ? "" : "\(directory)/")snapshots/")
        } else {
            for path in written { Console.out("created \(directory == "." ? path : "\(directory)/\(path)")") }
        }
        let inProject = directory == "." ? "" : "cd \(directory) && "
        Console.out(
            example
                ? "Next: \(inProject)headroom build  (builds the example's seven weeks into public/; open public/index.html)"
                : "Next: \(inProject)\(NextStep.command)  (\(NextStep.purpose))")
        Console.out(
            "CI: .github/workflows/headroom.yml and .gitlab-ci.yml collect, build, publish and gate every week; "
                + "see \"Run it in CI\" in Headroom's README")
    }
}

struct Week: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print an ISO week and its bounds in the project's time zone, for collectors.",
        discussion:
            "Prints one line: the week, its start and its end (exclusive) as UTC instants, e.g. 2026-W47 2026-11-16T00:00:00Z 2026-11-23T00:00:00Z."
    )

    @Option(name: .long, help: "The configuration file (its timeZone defines the weeks).")
    var config = "headroom.yml"

    @Argument(help: "An ISO week such as 2026-W47, or previous: the last complete week.")
    var week = "previous"

    func run() throws {
        let (week, interval) = try Collect.week(configuration: config, argument: week)
        Console.out("\(week) \(interval.lowerBound) \(interval.upperBound)")
    }
}

struct Queries: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write CloudWatch get-metric-data requests for the catalog's metrics over one week.",
        discussion: """
            Reads the output of aws cloudwatch list-metrics (one file per namespace) and writes \
            cloudwatch-<namespace>.query.json files (at most 500 queries each) in the --cli-input-json \
            form, printing each path. With --namespaces, prints the namespaces to list instead.
            """)

    @Option(name: .long, help: "The configuration file (its timeZone defines the weeks).")
    var config = "headroom.yml"

    @Option(name: .long, help: "An ISO week such as 2026-W47, or previous: the last complete week.")
    var week = "previous"

    @Option(name: .shortAndLong, help: "The folder to write the request files to.")
    var output = "."

    @Option(name: .long, help: "The period of each datapoint, in seconds.")
    var period = 3600

    @Flag(name: .long, help: "Print the catalog's CloudWatch namespaces, one per line, and stop.")
    var namespaces = false

    @Argument(help: "Outputs of aws cloudwatch list-metrics --namespace … --output json.")
    var listMetrics: [String] = []

    func validate() throws {
        if !namespaces && listMetrics.isEmpty { throw ValidationError("give the list-metrics outputs to read") }
    }

    func run() throws {
        if namespaces {
            for namespace in try Collect.namespaces() { Console.out(namespace) }
            return
        }
        let (_, requests) = try Collect.queries(
            configuration: config, week: week, listMetrics: listMetrics, period: period)
        let folder = URL(fileURLWithPath: output)
        for request in requests {
            let target = folder.appending(path: request.fileName)
            try OutputFile.write(
                Data(request.json.utf8), to: target.path, what: "a metric request",
                replaces: { String(decoding: $0, as: UTF8.self).contains("\"MetricDataQueries\"") })
            Console.out(target.path)
        }
    }
}

struct AthenaQuery: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "athena-query",
        abstract: "Print the Athena query request for one week's cost from the export table in headroom.yml.",
        discussion: """
            Prints the request for aws athena start-query-execution --cli-input-json: the SQL over the \
            FOCUS or CUR 2.0 table of cost.athena (the week's days, by day, account, region, service \
            and resource), its database, workgroup and result location. Save what \
            aws athena get-query-results returns in the week's folder: headroom build reads it.
            """)

    @Option(name: .long, help: "The configuration file (its timeZone defines the weeks; cost.athena the table).")
    var config = "headroom.yml"

    @Option(name: .long, help: "An ISO week such as 2026-W47, or previous: the last complete week.")
    var week = "previous"

    func run() throws {
        let (_, request) = try Collect.athenaRequest(configuration: config, week: week)
        Console.out(String(decoding: request, as: UTF8.self))
    }
}

struct GalleryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gallery", abstract: "Write a page with every kind of chart, drawn from generated data.")

    @Option(name: .shortAndLong, help: "The output folder.")
    var output = "gallery"

    func run() throws {
        let url = URL(fileURLWithPath: output).standardizedFileURL
        _ = try Pipeline.gallery(output: url)
        Console.out("Open \(url.appending(path: "index.html").path)")
    }
}

enum Console {
    static func out(_ text: String) { print(text) }
    static func error(_ text: String) { FileHandle.standardError.write(Data((text + "\n").utf8)) }
}

Interruption.shared.install()
do {
    var command = try HeadroomCommand.parseAsRoot()
    try command.run()
} catch let code as ExitCode {
    exit(code.rawValue)  // a failed gate: the summary is already printed
} catch let error as HeadroomError {
    let step = error.step.map { " (while \($0.lowercased()))" } ?? ""
    Console.error("error\(step): \(error.description)")
    exit(error.exitCode)
} catch {
    let code = HeadroomCommand.exitCode(for: error)
    if code == .success {
        HeadroomCommand.exit(withError: error)  // --help and --version
    }
    Console.error(HeadroomCommand.fullMessage(for: error))
    exit(2)
}
