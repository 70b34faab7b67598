import Foundation
import HeadroomAnalysis
import HeadroomIngest
import HeadroomMarkdown
import HeadroomModel
import HeadroomSite
import HeadroomStore

public enum Headroom {
    public static let version = "0.1.0"
    /// Bumped by every change to what a report or a page says for the same inputs (a text, a
    /// figure, a page's markup), so that the history store's frozen reports, and the archived
    /// pages kept from the previous site, of an older build of the same version are made again:
    /// it is part of every report's input key (`History.fingerprint`), which every archived
    /// page's render key contains.
    static let outputRevision = 8
}

/// What the pipeline tells its caller while it runs.
public enum BuildEvent: Sendable {
    /// A step finished: `[index/total] name: detail, seconds`.
    case step(index: Int, total: Int, name: String, detail: String, seconds: Double)
    /// A per-file detail, shown with --verbose.
    case detail(String)
    /// Something the user should see even when the build succeeds.
    case warning(String)
}

public struct BuildOptions: Sendable {
    /// The configuration file; its folder is the report project.
    public var configuration: String
    /// The output folder; default `public` beside the configuration.
    public var output: String?
    /// Where to write the report's stable text dump (`Report.dump`), if anywhere.
    public var dumpReport: String?

    /// Also evaluate the gates of headroom.yml (`build --check`).
    public var check: Bool
    /// Delete the history store first and rebuild it from the snapshots (`--rebuild-store`).
    public var rebuildStore: Bool

    public init(
        configuration: String = "headroom.yml", output: String? = nil, dumpReport: String? = nil, check: Bool = false,
        rebuildStore: Bool = false
    ) {
        self.configuration = configuration
        self.output = output
        self.dumpReport = dumpReport
        self.check = check
        self.rebuildStore = rebuildStore
    }

    /// The report project: the configuration's folder.
    public var project: URL { URL(fileURLWithPath: configuration).standardizedFileURL.deletingLastPathComponent() }

    /// The site folder: `output`, or `public` in the project.
    public var outputFolder: URL {
        output.map { URL(fileURLWithPath: $0).standardizedFileURL } ?? project.appending(path: "public")
    }
}

public struct BuildResult: Sendable {
    public var output: URL
    public var pages: Int
    public var week: ISOWeek?
    /// With `check`: the gates' results.
    public var check: CheckOutcome?
    /// The Slack message written as `slack.json`, when the report has a week.
    public var slackMessage: Data?
}

/// The gates of headroom.yml judged on the report week.
public struct CheckOutcome: Sendable {
    public var week: ISOWeek?
    public var gates: [GateResult]
    public var findings: [CheckFinding]
    /// A gate that is not warn-only failed.
    public var failed: Bool { gates.contains { !$0.passed && !$0.gate.warnOnly } }
    /// JUnit XML of the gates and the findings.
    public var junit: String { JUnit.xml(week: week, gates: gates, findings: findings) }
    /// The real paths of what the build read (`Pipeline.inputs`), which the JUnit file may not
    /// replace or join.
    var inputs: [String] = []

    /// Writes `junit` to `path` through `OutputFile`: never into the inputs, and replacing only a
    /// JUnit file.
    public func writeJUnit(to path: String) throws(HeadroomError) {
        try Pipeline.refuseInsideInputs(URL(fileURLWithPath: path), inputs: inputs)
        try OutputFile.write(
            Data(junit.utf8), to: path, what: "a JUnit file",
            replaces: { OutputFile.starts($0, with: #"<?xml version="1.0" encoding="UTF-8"?>"# + "\n<testsuites ") })
    }
}

/// The pipeline: named steps that run the stages in order and stamp errors with the step.
public enum Pipeline {
    static let steps = [
        "Reading configuration", "Reading sources", "Reading notes", "Analysing", "Rendering pages", "Publishing",
    ]

    public static func build(
        _ options: BuildOptions, events: @escaping (BuildEvent) -> Void = { _ in }
    ) throws(HeadroomError) -> BuildResult {
        var run = Run(options: options, events: events)
        let (report, archive, project, configuration) = try run.report()
        let inputs = Self.inputs(options, project: project, configuration: configuration)
        let check = options.check ? Self.outcome(report, configuration: configuration, inputs: inputs) : nil
        if let path = options.dumpReport {
            try refuseInsideInputs(URL(fileURLWithPath: path), inputs: inputs)
            try OutputFile.write(
                Data(report.dump.utf8), to: path, what: "a report dump",
                replaces: { OutputFile.starts($0, with: "report ") })
        }
        let output = options.outputFolder
        try refuseInsideInputs(output, inputs: inputs)
        let generator = "Headroom \(Headroom.version)"
        var renderKeys: [String] = []
        var asBuilt = archive.asBuilt
        // A build that finds no previous site (as in CI) seals its review week for the next one.
        let previousSite = FileManager.default.fileExists(atPath: output.appending(path: "index.html").path)
        // Pages are written into the staging folder as they are rendered, a week at a time, so a
        // build holds at most two weeks' whole reports and pages however many it renders.
        var written = (pages: 0, kept: 0, sealed: 0, slack: Data?.none)
        var planned: SiteBuilder.Plan?
        let staging = try run.step({ (_: Publisher.Staging) in
            let from = [
                written.kept > 0 ? "\(written.kept) archived pages kept from the previous site" : nil,
                written.sealed > 0 ? "\(written.sealed) from the history store" : nil,
            ].compactMap { $0 }
            return plural(written.pages, "page") + (from.isEmpty ? "" : " (" + from.joined(separator: ", ") + ")")
        }
        ) {
            () throws(HeadroomError) in
            let theme = try Theme.load(
                overrides: project.appending(path: configuration.templates), display: configuration.templates,
                root: project)
            let builder = try SiteBuilder(theme: theme, generator: generator)
            let plan = builder.plan(
                report, archive: archive.reports, functionPageWeeks: configuration.archive.functionPageWeeks)
            planned = plan
            // An archived week's pages are kept when what they are made from is unchanged and the
            // previous site still has them as published; otherwise the week is rendered, from its
            // whole report (the store keeps slim ones).
            // A week whose function pages were already pruned keeps those as well; one that crosses
            // archive.functionPageWeeks in this build keeps the rest and gets its pruned pages made.
            var kept: [Int: Bool] = [:]
            // Weeks the store sealed (`Archive.seal`): their pages as the store keeps them (and
            // whether they were pruned then), when the previous site does not have them as
            // published.
            var sealed: [Int: Bool] = [:]
            if report.week != nil {
                let inputKeys = archive.inputKeys + [archive.reviewKey].compactMap { $0 }
                for index in inputKeys.indices {
                    let week = plan.week(index)!
                    let key = { (pruned: Bool) in
                        KeptPages.renderKey(
                            inputKey: inputKeys[index], theme: theme.fingerprint, generator: generator,
                            previous: index > 0 ? (plan.week(index - 1)!, plan.paths(index - 1)) : nil, pruned: pruned)
                    }
                    let pruned = plan.pruned(index)
                    renderKeys.append(key(pruned))
                    guard index < plan.review, let stored = archive.stored[week.description] else { continue }
                    let onOutput = {
                        stored.pages != nil
                            && KeptPages.manifest(week: week, paths: plan.paths(index), output: output) == stored.pages
                    }
                    if stored.renderKey == key(pruned) || (pruned && stored.renderKey == key(false)), onOutput() {
                        kept[index] = pruned && stored.renderKey == key(pruned)
                    } else if let sealedKey = stored.sealedKey,
                        sealedKey == key(pruned) || (pruned && sealedKey == key(false))
                            || !archive.history.canAnalyse(week)
                    {
                        // The pages the store sealed: the ones rendering would write when their
                        // key is this build's, and the week's pages as built when it cannot be
                        // analysed again.
                        // Pruned since it was sealed: the key of what is published now.
                        let remade = pruned && !stored.sealedPruned
                        let published =
                            !remade
                            ? sealedKey
                            : sealedKey == key(false)
                                ? key(true) : Store.sha256(Data(sealedKey.utf8), Data("pruned".utf8))
                        renderKeys[index] = published
                        if published != key(pruned) { asBuilt.insert(week) }
                        if stored.renderKey == published, onOutput() {
                            kept[index] = true
                        } else if stored.renderKey == sealedKey, onOutput() {
                            kept[index] = false
                        } else {
                            sealed[index] = stored.sealedPruned
                        }
                    }
                }
            }
            if !asBuilt.isEmpty {
                let weeks = asBuilt.sorted()
                events(
                    .warning(
                        "\(plural(weeks.count, "earlier week")) ("
                            + (weeks.count > 1 ? "\(weeks.first!)–\(weeks.last!)" : "\(weeks[0])")
                            + ") kept as built: the store keeps only thinned points of their snapshots, which are gone,"
                            + " so a change to headroom.yml, the templates or Headroom does not reach them;"
                            + " restore their snapshots from their archive to build them again"))
            }
            let staging = try Publisher.Staging(output)
            func write(_ files: [SiteFile], background: Bool = false) throws(HeadroomError) {
                try background ? staging.writeInBackground(files) : staging.write(files)
                written.pages += files.filter { $0.path.hasSuffix(".html") }.count
                written.kept += files.filter { $0.kept && $0.path.hasSuffix(".html") }.count
                if let slack = files.first(where: { $0.path == "slack.json" }) { written.slack = slack.contents }
            }
            do throws(HeadroomError) {
                for (index, prunedKept) in kept.sorted(by: { $0.key < $1.key }) {
                    try write(builder.kept(week: index, plan: plan, prunedKept: prunedKept))
                }
                // One week's pages at a time: a large week's are 16 MB packed, 64 MB unpacked (two at a
                // time, one per core, took longer and more memory).
                for (index, prunedThen) in sealed.sorted(by: { $0.key < $1.key }) {
                    let week = plan.week(index)!
                    guard let data = try archive.store.sealedPages(week: week.description),
                        let pages = SealedPages.decode(data)
                    else {
                        throw HeadroomError(
                            .ingest, file: Store.display,
                            "the history store cannot be read: the pages stored for \(week) do not decode",
                            remedy: "restore the week's snapshots from their archive, then build with --rebuild-store")
                    }
                    let files = try builder.sealed(week: index, plan: plan, pages: pages, prunedThen: prunedThen)
                    try write(files)
                    written.sealed += files.filter { $0.path.hasSuffix(".html") }.count
                }
                let rendered = plan.indices.filter { kept[$0] == nil && sealed[$0] == nil }
                // Two weeks at a time, one per core.
                for start in stride(from: 0, to: rendered.count, by: 2) {
                    let weeks = try Array(rendered[start..<min(start + 2, rendered.count)]).concurrentMap {
                        index throws(HeadroomError) in
                        try builder.pages(
                            week: index, report: index == plan.review ? report : try archive.whole(index), plan: plan)
                    }
                    // Written while the next weeks, or the site's other files, are made.
                    try write(weeks.flatMap { $0 }, background: true)
                }
                try write(builder.siteFiles(plan))
            } catch {
                staging.abandon()
                throw error
            }
            return staging
        }
        _ = try run.step({ (count: (sealed: Int, compacted: Int)) in
            let store = [
                count.sealed > 0 ? plural(count.sealed, "week") + " sealed" : nil,
                count.compacted > 0 ? plural(count.compacted, "file") + " compacted" : nil,
            ].compactMap { $0 }
            return output.path + (store.isEmpty ? "" : " (history store: " + store.joined(separator: ", ") + ")")
        }) { () throws(HeadroomError) in
            try staging.commit { () throws(HeadroomError) in
                // What was published of each week's archived pages, for the next build to keep.
                try archive.published(renderKeys: renderKeys, review: report, output: output)
                guard let plan = planned else { return (0, 0) }
                return try archive.seal(
                    plan: plan, renderKeys: renderKeys, output: output, keepKey: archive.history.keepKey,
                    sealReview: !previousSite)
            }
        }
        return BuildResult(
            output: output, pages: written.pages, week: report.week?.week, check: check, slackMessage: written.slack)
    }

    /// The page plan of the build (`SiteBuilder.Plan.outline`), without writing the site.
    static func outline(_ options: BuildOptions) throws(HeadroomError) -> String {
        var run = Run(options: options, events: { _ in })
        let (report, archive, project, configuration) = try run.report()
        let builder = try SiteBuilder(
            theme: Theme.load(
                overrides: project.appending(path: configuration.templates), display: configuration.templates,
                root: project),
            generator: "Headroom \(Headroom.version)")
        return builder.plan(
            report, archive: archive.reports, functionPageWeeks: configuration.archive.functionPageWeeks
        ).outline
    }

    /// Judges the gates without writing the site: the steps up to analysis, then the gates.
    public static func check(
        _ options: BuildOptions, events: @escaping (BuildEvent) -> Void = { _ in }
    ) throws(HeadroomError) -> CheckOutcome {
        var run = Run(options: options, events: events)
        let (report, _, project, configuration) = try run.report()
        return outcome(
            report, configuration: configuration,
            inputs: inputs(options, project: project, configuration: configuration))
    }

    /// The folders and files a build reads: every source, the notes, the rules, the templates and
    /// the configuration, by real path.
    static func inputs(_ options: BuildOptions, project: URL, configuration: Configuration) -> [String] {
        let folders =
            Sources.roots(configuration, projectDirectory: project)
            + [configuration.notes, configuration.checks.folder, configuration.templates].map {
                project.appending(path: $0)
            } + [URL(fileURLWithPath: options.configuration)]
        return folders.map { ProjectFile.realPath($0.standardizedFileURL.path) ?? $0.standardizedFileURL.path }
    }

    /// An output (the site, the report dump, the JUnit file) must not lie in or be an input: the
    /// next build would read it back, or it would replace the configuration.
    static func refuseInsideInputs(_ output: URL, inputs: [String]) throws(HeadroomError) {
        let path = output.standardizedFileURL.path
        // The real path of the deepest part of the output that exists, and the rest as written.
        var existing = URL(fileURLWithPath: path)
        var rest: [String] = []
        while ProjectFile.realPath(existing.path) == nil, existing.path != "/" {
            rest.insert(existing.lastPathComponent, at: 0)
            existing = existing.deletingLastPathComponent()
        }
        let real = ([ProjectFile.realPath(existing.path) ?? existing.path] + rest).joined(separator: "/")
        for input in inputs where real == input || real.hasPrefix(input + "/") {
            throw HeadroomError(
                .usage, file: path,
                "an output may not be written into what the build reads (\(input)): the next build would read it, or it would replace it",
                remedy: "write it elsewhere, such as public/ or a folder outside the sources")
        }
    }

    static func outcome(_ report: Report, configuration: Configuration, inputs: [String]) -> CheckOutcome {
        CheckOutcome(
            week: report.week?.week, gates: Analysis.gates(configuration.gates, report: report),
            findings: report.findings, inputs: inputs)
    }

    /// Writes the chart gallery (every kind of chart, from generated data) to `output`, atomically.
    public static func gallery(output: URL) throws(HeadroomError) -> Int {
        let files = try SiteBuilder(
            theme: Theme.load(overrides: nil, display: "templates"), generator: "Headroom \(Headroom.version)"
        ).gallery()
        try Publisher.publish(files, to: output)
        return files.count
    }

    /// Runs the steps up to analysis: configuration, sources, notes, report. No files are written.
    public static func report(
        _ options: BuildOptions, events: @escaping (BuildEvent) -> Void = { _ in }
    ) throws(HeadroomError) -> Report {
        var run = Run(options: options, events: events)
        return try run.report().report
    }

    /// The built-in rules and the project's `checks/`, with `checks:` of headroom.yml applied.
    static func rules(_ configuration: Configuration, project: URL) throws(HeadroomError) -> [Rule] {
        let settings = configuration.checks
        let builtIn = try RuleLoader.builtIn()
        let own = try RuleLoader.read(
            folder: project.appending(path: settings.folder), display: settings.folder, root: project)
        for rule in own where builtIn.contains(where: { $0.id == rule.id }) {
            throw HeadroomError(
                .configuration, file: rule.source, "the rule id \(rule.id) is a built-in rule's",
                remedy: "pick another id, or disable the built-in rule in headroom.yml (checks: disable:)")
        }
        var rules = builtIn + own
        let ids = rules.map(\.id)
        for id in settings.disable + settings.overrides.keys.sorted() + settings.mutes.map(\.rule)
            + settings.acknowledgements.map(\.rule) + settings.aggregate
        where !ids.contains(id) && !id.contains(":") {
            throw HeadroomError(
                .configuration, file: "headroom.yml",
                "checks: no rule has the id '\(id)'"
                    + (Suggest.closest(to: id, in: ids).map { "; did you mean '\($0)'?" } ?? ""))
        }
        rules.removeAll { settings.disable.contains($0.id) }
        for index in rules.indices {
            guard let override = settings.overrides[rules[index].id] else { continue }
            if let severity = override.severity { rules[index].severity = severity }
            if let threshold = override.threshold {
                guard let condition = rules[index].condition.with(threshold: threshold) else {
                    throw HeadroomError(
                        .configuration, file: "headroom.yml",
                        "checks: the rule \(rules[index].id) has no threshold to override")
                }
                rules[index].condition = condition
            }
        }
        return rules
    }

    /// One pipeline run: numbers its steps, times them, and stamps errors with the step's name.
    private struct Run {
        let options: BuildOptions
        let events: (BuildEvent) -> Void
        var index = 0
        let clock = ContinuousClock()
        /// Open, and so locked, from reading the sources to the end of the run.
        var store: Store?

        init(options: BuildOptions, events: @escaping (BuildEvent) -> Void) {
            self.options = options
            self.events = events
        }

        mutating func step<T>(_ detail: (T) -> String, _ body: () throws(HeadroomError) -> T) throws(HeadroomError) -> T
        {
            index += 1
            let name = steps[index - 1]
            let start = clock.now
            do {
                let value = try body()
                let elapsed = clock.now - start
                let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
                events(.step(index: index, total: steps.count, name: name, detail: detail(value), seconds: seconds))
                return value
            } catch {
                var error = error
                error.step = name
                throw error
            }
        }

        /// The report of the configured week, and the archive: one report per earlier week with data.
        mutating func report() throws(HeadroomError) -> (
            report: Report, archive: Archive, project: URL, configuration: Configuration
        ) {
            let options = options
            let configurationURL = URL(fileURLWithPath: options.configuration).standardizedFileURL
            let project = options.project
            let configuration = try step({ _ in configurationURL.lastPathComponent }) { () throws(HeadroomError) in
                try ConfigurationLoader.load(from: configurationURL, display: options.configuration)
            }
            let events = events
            let rebuild = options.rebuildStore
            let catalog = try CatalogLoader.builtIn()
            let ingested = try step({ (ingested: Ingestion.Result) in ingested.summary }) {
                () throws(HeadroomError) in
                let store = try Store(project: project, rebuild: rebuild) {
                    events(.warning("waiting for another build of this project to finish (\(Store.folderName)/lock)"))
                }
                return try Ingestion.read(configuration, project: project, store: store, catalog: catalog) {
                    events(.detail($0))
                }
            }
            let store = ingested.store
            self.store = store
            for file in ingested.dataset.sources {
                if case .invalid(let reason) = file.status { events(.warning("skipped \(reason)")) }
            }
            for warning in ingested.warnings { events(.warning(warning)) }
            let notes = try step({ (notes: [Note]) in plural(notes.count, "note") }) { () throws(HeadroomError) in
                try NoteReader.read(
                    folder: project.appending(path: configuration.notes), display: configuration.notes, root: project)
            }
            let (report, archive) = try step({ (report: Report, archive: Archive) in
                let others = report.services.map(\.resources.count).reduce(0, +)
                let frozen = archive.analysed.filter { !$0 }.count
                return report.week.map {
                    "week \($0.week), " + plural(report.functions.count, "function")
                        + (others > 0 ? ", " + plural(others, "other resource") : "")
                        + (archive.reports.isEmpty
                            ? ""
                            : ", " + plural(archive.reports.count, "earlier week")
                                + (frozen > 0 ? " (\(frozen) unchanged, from the store)" : ""))
                } ?? "no data yet"
            }) { () throws(HeadroomError) in
                let prices: LambdaPriceTable
                if let path = configuration.cost.lambdaPrices {
                    prices = try PriceTableLoader.load(
                        from: project.appending(path: path), display: path, root: project)
                } else {
                    prices = try PriceTableLoader.builtIn()
                }
                let history = History(
                    files: ingested.files, notes: notes, configuration: configuration,
                    catalog: catalog, prices: prices,
                    rules: try Pipeline.rules(configuration, project: project),
                    fingerprint: try History.fingerprint(
                        configurationFile: configurationURL, configuration: configuration, project: project),
                    store: store, keepKey: ingested.keepKey)
                let report = try history.analyse(configuration.week)
                var archive = try Archive(
                    history: history, store: store,
                    weeks: report.week.map { week in report.weeksWithData.filter { $0 < week.week } } ?? [])
                try archive.freeze(review: report)
                if let week = report.week?.week {
                    for note in notes where note.week > week {
                        events(
                            .warning(
                                "\(note.path): a note for \(note.week), after the review week (\(week));"
                                    + " it shows once its week is reviewed"))
                    }
                }
                // Each week's findings against the weeks before it, and what changed.
                let weeks = Analysis.weeks(archive.reports + [report], configuration: configuration)
                archive.reports = Array(weeks.dropLast())
                if let week = report.week?.week {
                    try archive.history.thinPoints(
                        before: week.interval(in: configuration.zone).lowerBound, keep: ingested.keep)
                }
                return (weeks.last!, archive)
            }
            return (report, archive, project, configuration)
        }
    }
}
