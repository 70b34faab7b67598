import Foundation
import HeadroomAnalysis
import HeadroomCharts
import HeadroomMarkdown
import HeadroomModel
import Mustache

/// One file of the built site.
public struct SiteFile: Sendable, Equatable {
    /// Relative to the site root, with `/` separators.
    public var path: String
    public var contents: Data
    /// The file is the output's existing file at `path`, unchanged: the publisher links it into
    /// the new site instead of writing it (`contents` is empty).
    public var kept = false

    public init(path: String, contents: Data) {
        self.path = path
        self.contents = contents
    }

    /// The output's existing file at `path`.
    public static func kept(_ path: String) -> SiteFile {
        var file = SiteFile(path: path, contents: Data())
        file.kept = true
        return file
    }
}

/// Turns a Report into the site's files, through typed view models and the theme's templates.
public struct SiteBuilder: Sendable {
    public let theme: Theme
    public let generator: String
    private let library: MustacheLibrary

    /// Loads and checks every template against its view model, before any page is rendered.
    public init(theme: Theme, generator: String) throws(HeadroomError) {
        self.theme = theme
        self.generator = generator
        self.library = try theme.library()
        let checker = TemplateChecker(templates: theme.templates)
        try checker.check("layout", against: Shape.of(LayoutView.self))
        try checker.check("pages/overview", against: Shape.of(OverviewView.self))
        try checker.check("pages/function", against: Shape.of(FunctionView.self))
        try checker.check("pages/resource", against: Shape.of(ResourceView.self))
        try checker.check("pages/slo", against: Shape.of(SLOPageView.self))
        try checker.check("pages/slos", against: Shape.of(SLOIndexView.self))
        try checker.check("pages/costs", against: Shape.of(CostsPageView.self))
        try checker.check("pages/limits", against: Shape.of(LimitsPageView.self))
        try checker.check("pages/sources", against: Shape.of(SourcesPageView.self))
        try checker.check("pages/gallery", against: Shape.of(GalleryView.self))
        try checker.check("pages/service", against: Shape.of(ServicePageView.self))
        try checker.check("pages/notes", against: Shape.of(NotesPageView.self))
        try checker.check("pages/weeks", against: Shape.of(WeeksPageView.self))
        try checker.check("pages/404", against: Shape.of(NotFoundView.self))
        try checker.check("review", against: Shape.of(ReviewView.self))
        try checker.check("latest", against: Shape.of(LatestView.self))
        try checker.check("pruned", against: Shape.of(PrunedView.self))
        try checker.check("pages/checks", against: Shape.of(ChecksPageView.self))
        try checker.check("pages/rule", against: Shape.of(RulePageView.self))
        try checker.check("summary", against: Shape.of(DigestView.self))
    }

    /// The chart gallery: every kind of chart from `Gallery.specimens()`, with the theme's assets.
    public func gallery() throws(HeadroomError) -> [SiteFile] {
        let view = GalleryView(
            specimens: Gallery.specimens().map {
                GallerySpecimenView(
                    name: $0.name, heading: $0.heading, chart: ChartView($0.chart, caption: $0.chart.title))
            })
        let body = try body("index.html", template: "pages/gallery", title: "Chart gallery", view: view)
        var files = [try wrap(body, at: Location(week: nil), site: nil, weeks: [])]
        for asset in theme.assets { files.append(SiteFile(path: asset.path, contents: Data(asset.text.utf8))) }
        return files
    }

    /// The site of `report`'s week at the root, and a frozen copy of every week under
    /// `weeks/<ISO week>/`: `archive` holds the earlier weeks' reports, oldest first. `kept` names
    /// the archived weeks (by index in `archive`) whose pages the output already has as they would
    /// be rendered (`Report.slim` is enough for those): their files are kept, not rendered. A
    /// build that renders many weeks goes through `plan`, `pages` and `siteFiles` itself, a week
    /// at a time.
    public func build(
        _ report: Report, archive: [Report] = [], kept: Set<Int> = [],
        functionPageWeeks: Int = Configuration.Archive().functionPageWeeks
    ) throws(HeadroomError) -> [SiteFile] {
        let plan = plan(report, archive: archive, functionPageWeeks: functionPageWeeks)
        let kept = report.week == nil ? [] : kept.filter { archive.indices.contains($0) }
        var files: [SiteFile] = []
        for index in kept.sorted() { files += try self.kept(week: index, plan: plan) }
        let rendered = try Array(plan.reports.indices.filter { !kept.contains($0) }).concurrentMap {
            index throws(HeadroomError) in
            try self.pages(week: index, report: plan.reports[index], plan: plan)
        }
        files += rendered.flatMap { $0 } + (try siteFiles(plan))
        return files.sorted { $0.path < $1.path }
    }

    /// What every page of a site links to: its weeks, oldest first with the review week last, each
    /// with its pages, and each week's changes against the week before (for its overview, the feed
    /// and report.json). Earlier weeks' reports may be slim.
    public struct Plan: Sendable {
        let reports: [Report]
        let changes: [[Change]]
        let weeks: [WeekPages]
        /// `archive.functionPageWeeks`: weeks, the review week included, that keep their function
        /// pages; 0 keeps every week's.
        let functionPageWeeks: Int
        /// The index of the review week.
        public var review: Int { reports.count - 1 }
        public var indices: Range<Int> { reports.indices }

        /// Whether week `index`'s function pages are only pages that say what was kept: it is
        /// `functionPageWeeks` or more calendar weeks before the review week.
        public func pruned(_ index: Int) -> Bool {
            guard functionPageWeeks > 0, let week = weeks[index].week, let review = weeks[review].week else {
                return false
            }
            return (review.mondayDays - week.mondayDays) / 7 >= Int64(functionPageWeeks)
        }

        /// Week `index`, nil for a report without one.
        public func week(_ index: Int) -> ISOWeek? { weeks[index].week }

        /// The paths of week `index`'s pages, relative to its folder, sorted.
        public func paths(_ index: Int) -> [String] { weeks[index].paths.sorted() }

    }

    public func plan(
        _ report: Report, archive: [Report] = [],
        functionPageWeeks: Int = Configuration.Archive().functionPageWeeks
    ) -> Plan {
        let reports = report.week == nil ? [report] : archive + [report]
        let changes = reports.indices.map { Analysis.changes(reports[$0], previous: $0 > 0 ? reports[$0 - 1] : nil) }
        return Plan(
            reports: reports, changes: changes,
            weeks: reports.map { WeekPages(week: $0.week?.week, paths: Set(Self.pagePaths($0))) },
            functionPageWeeks: functionPageWeeks)
    }

    /// Week `index`'s archived pages, kept from the output as they are; the function pages of a
    /// pruned week are made again, from its (slim) report.
    public func kept(week index: Int, plan: Plan) throws(HeadroomError) -> [SiteFile] {
        guard let week = plan.weeks[index].week else { return [] }
        let pruned = plan.pruned(index)
        return try plan.weeks[index].paths.sorted().filter { !pruned || !$0.hasPrefix("functions/") }.map {
            .kept("weeks/\(week)/" + $0)
        } + (pruned ? prunedPages(week: index, plan: plan) : [])
    }

    /// The function pages of a pruned week (`Plan.pruned`): each says what the site keeps and
    /// links to what remains of the function that week, and to its page in the latest week.
    func prunedPages(week index: Int, plan: Plan) throws(HeadroomError) -> [SiteFile] {
        let report = plan.reports[index]
        guard let week = report.week?.week else { return [] }
        let pages = Pages(report)
        return try report.services.flatMap { service in
            service.functions.map { function in (service, function) }
        }.map { (service, function) throws(HeadroomError) in
            let path = pages.function(function.name)
            let view = PrunedView(
                siteTitle: plan.reports[plan.review].title, name: function.name, weekLabel: week.description,
                weeks: plural(plan.functionPageWeeks, "week"), service: service.name,
                serviceHref: "../" + pages.service(service.name),
                overviewHref: "../index.html", latestHref: "../../../" + path, root: "../../../",
                generator: generator)
            guard let html = library.render(TemplateContext.make(view), withTemplate: "pruned") else {
                throw HeadroomError(.render, file: path, "the pruned template is missing")
            }
            return SiteFile(path: "weeks/\(week)/" + path, contents: Data(html.utf8))
        }
    }

    /// Week `index`'s pages, from its whole report: its copy under `weeks/<week>/`, and for the
    /// review week the site root and the single-file review. The week is written once: at the
    /// root, its overview and section pages (`index.html`, `costs.html`, …) are whole pages, and
    /// the pages in folders (functions, resources, services, objectives, rules) send the browser
    /// to the week's copy, so their addresses keep showing the latest week. A report without a
    /// week has whole pages at the root only.
    public func pages(week index: Int, report: Report, plan: Plan) throws(HeadroomError) -> [SiteFile] {
        let pruned = plan.pruned(index)
        let pages = try bodies(report, changes: plan.changes[index], functionPages: !pruned)
        let site = plan.reports[plan.review]
        var locations = [Location(week: report.week?.week, archived: true, index: index)]
        if index == plan.review { locations.insert(Location(week: report.week?.week, index: index), at: 0) }
        var files: [SiteFile] = []
        for location in locations where location.week != nil || !location.archived {
            for body in pages {
                if !location.archived, let week = location.week, body.path.contains("/") {
                    files.append(try latest(body, week: week, siteTitle: site.title))
                } else {
                    files.append(try wrap(body, at: location, site: site, weeks: plan.weeks))
                }
            }
        }
        if index == plan.review, let week = report.week?.week,
            let overview = pages.first(where: { $0.path == "index.html" })
        {
            files.append(try review(report, week: week, overview: overview))
        }
        return files + (pruned ? try prunedPages(week: index, plan: plan) : [])
    }

    /// The files of the whole site besides the weeks' pages: the list of weeks, the 404 page, the
    /// sitemap and feed (with a base URL), report.json, the digest and Slack message, the search
    /// index and the theme's assets. `plan`'s review week report is whole.
    public func siteFiles(_ plan: Plan) throws(HeadroomError) -> [SiteFile] {
        let report = plan.reports[plan.review]
        let (reports, changes, weeks) = (plan.reports, plan.changes, plan.weeks)
        var files: [SiteFile] = []
        let latest = Location(week: report.week?.week, index: plan.review)
        if report.week != nil {
            files.append(
                try wrap(
                    try body("weeks/index.html", template: "pages/weeks", title: "Weeks", view: weeksPage(reports)),
                    at: latest, site: report, weeks: weeks))
        }
        // Hosts serve 404.html for a missing path at any depth, so its links start at the site's
        // path from baseURL (or the host's root without one).
        let basePath = report.baseURL.flatMap { URL(string: $0)?.path }.map { $0.hasSuffix("/") ? $0 : $0 + "/" } ?? "/"
        files.append(
            try wrap(
                try body(
                    "404.html", template: "pages/404", title: "Page not found",
                    view: NotFoundView(
                        weekLabel: report.week?.week.description, home: basePath + "index.html",
                        weeks: basePath + "weeks/index.html", hasWeeks: report.week != nil)),
                at: latest, site: report, weeks: weeks, root: basePath))
        if let base = report.baseURL {
            // Every page but 404.html and those that send the browser to the week's copy: each
            // week's copy, the review week's whole pages at the root, the single-file review and
            // the list of weeks.
            var paths = weeks.indices.flatMap { index in
                weeks[index].week.map { week in
                    weeks[index].paths.filter { !plan.pruned(index) || !$0.hasPrefix("functions/") }.map {
                        "weeks/\(week)/" + $0
                    }
                } ?? []
            }
            paths += weeks[plan.review].paths.filter { report.week == nil || !$0.contains("/") }
            if let week = report.week?.week { paths += ["review-\(week).html", "weeks/index.html"] }
            let pages = paths.map { path in
                let week = path.hasPrefix("weeks/2") ? ISOWeek(String(path.dropFirst(6).prefix(8))) : report.week?.week
                let end = reports.first { $0.week?.week == week }?.week?.interval.upperBound
                return (path: path, modified: end)
            }.sorted { $0.path < $1.path }
            files.append(SiteFile(path: "sitemap.xml", contents: Data(Feeds.sitemap(pages, base: base).utf8)))
            let entries = reports.indices.map { index in
                (
                    report: reports[index],
                    summary: Self.summary(reports[index], changes: changes[index])
                )
            }
            files.append(
                SiteFile(path: "feed.xml", contents: Data(Feeds.atom(entries, title: report.title, base: base).utf8)))
        }
        files.append(
            SiteFile(
                path: "report.json",
                contents: try ReportJSON(report, changes: changes.last ?? [], generator: generator).data()))
        if let week = report.week {
            let digest = DigestView(report, week: week, changes: changes.last ?? [], generator: generator)
            guard let markdown = library.render(TemplateContext.make(digest), withTemplate: "summary") else {
                throw HeadroomError(.render, file: "summary.md", "the summary template is missing")
            }
            files.append(SiteFile(path: "summary.md", contents: Data(markdown.utf8)))
            files.append(SiteFile(path: "slack.json", contents: SlackMessage(digest).data()))
        }
        let pages = Pages(report)
        files.append(SiteFile(path: "search-index.js", contents: Data(SearchIndex.script(report, pages: pages).utf8)))
        for asset in theme.assets { files.append(SiteFile(path: asset.path, contents: Data(asset.text.utf8))) }
        return files.sorted { $0.path < $1.path }
    }

    /// The paths of one week's pages, relative to the week's folder: those `bodies` renders.
    public static func pagePaths(_ report: Report) -> [String] {
        let pages = Pages(report)
        return ["index.html", "sources.html", "costs.html", "slos.html", "limits.html"]
            + report.functions.map { pages.function($0.name) } + report.slos.map { pages.slo($0.name) }
            + report.services.flatMap(\.resources).map(pages.resource)
            + report.services.flatMap { service in
                (1...Self.pageCount(service)).map { pages.service(service.name, page: $0) }
            }
            + ["checks.html"]
            + rulePages(report, pages: pages).flatMap { rule in (1...rule.pages).map { rulePage(rule.anchor, page: $0) }
            }
            + ["notes.html"]
    }

    /// One week's pages, each relative to the week's folder, with the week's changes; without the
    /// function pages for a pruned week.
    func bodies(_ report: Report, changes: [Change], functionPages: Bool = true) throws(HeadroomError) -> [Body] {
        var files: [Body] = []
        let pages = Pages(report)
        let resources = report.services.flatMap(\.resources)
        let charts = ChartPlan(report)
        // The SLO table's rows, on the overview and on the Error budgets page.
        let sloRows = report.slos.map { Self.sloView($0, zone: charts.zone, href: pages.slo($0.name), charts: []) }
        files.append(
            try body(
                "index.html", template: "pages/overview", title: "Overview",
                view: overview(report, changes: changes, pages: pages, charts: charts, slos: sloRows)))
        files.append(try body("sources.html", template: "pages/sources", title: "Sources", view: sourcesPage(report)))
        let weekLabel = report.week?.week.description ?? ""
        files.append(
            try body(
                "costs.html", template: "pages/costs", title: "Costs",
                view: CostsPageView(
                    weekLabel: weekLabel, cost: report.cost.map { Self.costView($0, charts: charts.costCharts($0)) },
                    lambdaEstimate: report.lambdaEstimate.map { Self.estimateView($0, report: report, pages: pages) },
                    months: report.costMonths.map { Self.costMonthView($0) },
                    hasMonths: !report.costMonths.isEmpty)))
        files.append(
            try body(
                "slos.html", template: "pages/slos", title: "Error budgets",
                view: SLOIndexView(weekLabel: weekLabel, slos: sloRows, hasSLOs: !report.slos.isEmpty)))
        let quotaCharts = charts.quotaCharts()
        files.append(
            try body(
                "limits.html", template: "pages/limits", title: "Limits",
                view: LimitsPageView(
                    weekLabel: weekLabel, quotas: report.quotas.map(Self.quotaView), hasQuotas: !report.quotas.isEmpty,
                    quotaBullets: quotaCharts.first, quotaTrends: Array(quotaCharts.dropFirst()))))
        // Each function's estimated cost, for its page.
        var costs: [String: String] = [:]
        if let estimate = report.lambdaEstimate {
            for function in estimate.functions { costs[function.name] = Format.money(function.cost, estimate.currency) }
        }
        for function in report.functions where functionPages {
            files.append(
                try body(
                    pages.function(function.name), template: "pages/function", title: function.name,
                    view: functionView(function, report: report, pages: pages, costs: costs, charts: charts)))
        }
        for (index, slo) in report.slos.enumerated() {
            let view = Self.sloView(
                slo, zone: charts.zone, href: pages.slo(slo.name), charts: charts.sloCharts(slo, index: index))
            files.append(
                try body(
                    pages.slo(slo.name), template: "pages/slo", title: view.name,
                    view: SLOPageView(weekLabel: weekLabel, slo: view)))
        }
        for resource in resources {
            files.append(
                try body(
                    pages.resource(resource), template: "pages/resource", title: resource.name,
                    view: resourceView(resource, report: report, pages: pages, charts: charts)))
        }
        for service in report.services {
            for page in 1...Self.pageCount(service) {
                files.append(
                    try body(
                        pages.service(service.name, page: page), template: "pages/service",
                        title: service.name + (page == 1 ? "" : ", page \(page)"),
                        view: serviceView(service, page: page, report: report, pages: pages, charts: charts)))
            }
        }
        files += try checksPages(report, pages: pages)
        files.append(
            try body(
                "notes.html", template: "pages/notes", title: "Notes",
                view: NotesPageView(
                    weekLabel: weekLabel, weekRange: report.week.map { Self.range(of: $0.week) } ?? "",
                    note: try noteView(report), actions: Self.actionViews(report),
                    hasActions: !report.actions.isEmpty, expected: "notes/\(weekLabel).md")))
        return files
    }

    private func noteView(_ report: Report) throws(HeadroomError) -> NoteView? {
        guard let week = report.week?.week, let note = report.notes.first(where: { $0.week == week }) else {
            return nil
        }
        return NoteView(
            week: note.week.description, title: note.title ?? "Notes for \(note.week)",
            authors: note.authors.isEmpty ? nil : note.authors.joined(separator: ", "),
            html: try renderMarkdown(note.body, file: note.path), source: note.path)
    }

    /// The week's action items as a checklist: this week's note's items, then those still open from earlier notes.
    static func actionViews(_ report: Report) -> [ActionView] {
        let week = report.week?.week
        return report.actions.sorted { ($0.listed == week ? 0 : 1) < ($1.listed == week ? 0 : 1) }.map { action in
            ActionView(
                title: action.item.title, owner: action.item.owner,
                due: action.item.due.map { DayLabel.day($0, year: true) }, done: action.item.done,
                overdue: action.overdue,
                carried: action.listed == week ? nil : "open since \(action.since)")
        }
    }

    /// The open and muted findings on one resource, for its page (one folder below the week's root).
    static func findings(on name: String, kind: String, _ report: Report, pages: Pages) -> [PageFindingView] {
        report.findings.filter { $0.resource == name && $0.kind == kind && $0.state != .resolved }.map {
            PageFindingView(
                severity: $0.severity.rawValue, title: $0.title, evidence: $0.evidence, state: $0.state.rawValue,
                href: "../" + pages.finding(rule: $0.ruleId, state: $0.state.rawValue))
        }
    }

    /// The week's findings: counts by pillar and severity, then each state's findings by rule.
    static let pillarNames: [Pillar: String] = [
        .operationalExcellence: "Operational excellence", .security: "Security", .reliability: "Reliability",
        .performance: "Performance efficiency", .costOptimization: "Cost optimization",
        .sustainability: "Sustainability",
    ]
    /// The order of the Checks page's sections.
    static let findingStates: [CheckFinding.State] = [.new, .regressed, .recurring, .muted, .unchecked, .resolved]
    /// The most resources a rule lists on the Checks page; a rule with more lists them all on
    /// its own page (`checks/<anchor>.html`), `rulePageRows` to a page.
    static let ruleRows = 25
    static let rulePageRows = 400

    /// The page of rule `anchor`'s findings (its `page`th).
    static func rulePage(_ anchor: String, page: Int = 1) -> String {
        "checks/\(anchor)" + (page == 1 ? "" : ".page\(page)") + ".html"
    }

    /// The rule pages of the week: the anchor of each rule and state with more than `ruleRows`
    /// findings, and its number of pages.
    static func rulePages(_ report: Report, pages: Pages) -> [(anchor: String, pages: Int)] {
        findingStates.flatMap { state in
            Dictionary(grouping: report.findings.filter { $0.state == state }, by: \.ruleId)
                .filter { $0.value.count > ruleRows }.sorted { $0.key < $1.key }.map { rule, findings in
                    (
                        pages.anchor(rule: rule, state: state.rawValue),
                        (findings.count + rulePageRows - 1) / rulePageRows
                    )
                }
        }
    }

    /// The pages of a list split over `count` pages, on page `page`: `noun first–last of all`,
    /// and a link to each page (`file(n)`, relative to the page's folder).
    static func pageNav(_ noun: String, rows: Range<Int>, of all: Int, page: Int, count: Int, file: (Int) -> String)
        -> PageNavView?
    {
        guard count > 1 else { return nil }
        return PageNavView(
            label: "\(noun) \(Format.grouped(Int64(rows.lowerBound + 1)))–\(Format.grouped(Int64(rows.upperBound)))"
                + " of \(Format.grouped(Int64(all)))",
            pages: (1...count).map { PageLinkView(label: "\($0)", href: file($0), current: $0 == page) })
    }

    /// The Checks page, each rule with at most `ruleRows` resources, and the rule pages of the rules
    /// with more.
    private func checksPages(_ report: Report, pages: Pages) throws(HeadroomError) -> [Body] {
        let states = try findingStates(report, pages: pages, prefix: "")
        var view = try checksPage(report, states: states)
        var bodies: [Body] = []
        for (index, state) in view.states.enumerated() {
            for (position, rule) in state.rules.enumerated() where rule.items.count > Self.ruleRows {
                view.states[index].rules[position].items = Array(rule.items.prefix(Self.ruleRows))
                view.states[index].rules[position].cut = ListCutView(
                    text:
                        "The first \(Self.ruleRows) of \(Format.grouped(Int64(rule.items.count))) resources, by name.",
                    href: Self.rulePage(rule.anchor), linkText: "Every one on the rule's page")
            }
        }
        bodies.append(try body("checks.html", template: "pages/checks", title: "Checks", view: view))
        let deep = try findingStates(report, pages: pages, prefix: "../")
        for state in deep {
            for rule in state.rules where rule.items.count > Self.ruleRows {
                let count = (rule.items.count + Self.rulePageRows - 1) / Self.rulePageRows
                for page in 1...count {
                    let rows = (page - 1) * Self.rulePageRows..<min(rule.items.count, page * Self.rulePageRows)
                    var shown = rule
                    shown.items = Array(rule.items[rows])
                    bodies.append(
                        try body(
                            Self.rulePage(rule.anchor, page: page), template: "pages/rule",
                            title: rule.title + (page == 1 ? "" : ", page \(page)"),
                            view: RulePageView(
                                weekLabel: report.week?.week.description ?? "", state: state.title,
                                stateAnchor: state.anchor, rule: shown,
                                pageNav: Self.pageNav(
                                    "Resources", rows: rows, of: rule.items.count, page: page, count: count,
                                    file: { String(Self.rulePage(rule.anchor, page: $0).dropFirst("checks/".count)) })))
                    )
                }
            }
        }
        return bodies
    }

    /// The findings by state and rule, each rule with every resource; links lead `prefix` away
    /// from the week's folder.
    private func findingStates(_ report: Report, pages: Pages, prefix: String) throws(HeadroomError)
        -> [FindingStateView]
    {
        let findings = report.findings
        let functions = Set(report.functions.map(\.name))
        let resources = Dictionary(
            report.services.flatMap(\.resources).map { ("\($0.kind)\u{0}\($0.name)", $0) },
            uniquingKeysWith: { a, _ in a })
        func href(_ finding: CheckFinding) -> String? {
            if finding.kind == "function", functions.contains(finding.resource) {
                return prefix + pages.function(finding.resource)
            }
            return resources["\(finding.kind)\u{0}\(finding.resource)"].map { prefix + pages.resource($0) }
        }
        let intros: [CheckFinding.State: (String, String)] = [
            .new: ("New this week", "Not seen in any earlier week."),
            .regressed: ("Back again", "Seen in an earlier week, gone last week, back now."),
            .recurring: ("Still open", "Also present last week."),
            .muted: ("Muted", "Accepted in headroom.yml until the date given."),
            .resolved: ("Resolved this week", "Present last week, and gone from its source's report of this week."),
            .unchecked: (
                "Not checked this week",
                "Open when last seen, but their source sent nothing for this week (see Sources): whether they are still there is not known."
            ),
        ]
        var states: [FindingStateView] = []
        for state in Self.findingStates {
            let inState = findings.filter { $0.state == state }
            guard !inState.isEmpty else { continue }
            var rules: [RuleGroupView] = []
            for (_, group) in Dictionary(grouping: inState, by: \.ruleId).sorted(by: {
                ($0.value[0].severity, $0.key) < ($1.value[0].severity, $1.key)
            }) {
                let first = group[0]
                rules.append(
                    RuleGroupView(
                        anchor: pages.anchor(rule: first.ruleId, state: state.rawValue), ruleId: first.ruleId,
                        title: first.title, severity: first.severity.rawValue,
                        pillar: Self.pillarNames[first.pillar] ?? "",
                        origin: first.origin,
                        rationale: first.rationale.isEmpty
                            ? nil : try renderMarkdown(first.rationale, file: first.origin, headingOffset: 3),
                        remediation: first.remediation.isEmpty
                            ? nil : try renderMarkdown(first.remediation, file: first.origin, headingOffset: 3),
                        references: first.references,
                        items: group.sorted { $0.resource < $1.resource }.map { finding in
                            let weeks =
                                finding.history
                                + ([.resolved, .unchecked].contains(state) ? [] : report.week.map { [$0.week] } ?? [])
                            return FindingItemView(
                                resource: finding.resource, kind: finding.kind, href: href(finding),
                                evidence: finding.evidence,
                                history: state == .unchecked
                                    ? "last seen in \(finding.lastSeen?.description ?? "an earlier week"); "
                                        + finding.source.label + " sent nothing for this week"
                                    : state == .resolved
                                        ? "seen in " + weeks.map(\.description).joined(separator: ", ")
                                        : (finding.since.map { "since \($0), " } ?? "")
                                            + plural(finding.occurrences, "week") + ": "
                                            + weeks.map { "W" + String($0.description.suffix(2)) }.joined(
                                                separator: " "),
                                mute: finding.mute.map { mute in
                                    (finding.muteExpired ? "Mute expired on " : "Muted until ")
                                        + DayLabel.day(mute.expires, year: true) + " by \(mute.owner): \(mute.reason)"
                                },
                                owner: finding.owner,
                                acknowledged: finding.acknowledgement.map { "Acknowledged by \($0.by): \($0.note)" })
                        },
                        count: plural(group.count, "resource"), cut: nil))
            }
            let (title, intro) = intros[state]!
            states.append(
                FindingStateView(
                    title: "\(title) (\(inState.count))", anchor: state.rawValue, intro: intro, rules: rules))
        }
        return states
    }

    /// The Checks page of `states` (every rule with every resource): the summary, the table by
    /// pillar and severity, and the states.
    private func checksPage(_ report: Report, states: [FindingStateView]) throws(HeadroomError) -> ChecksPageView {
        let findings = report.findings
        let open = findings.filter { ![.resolved, .muted, .unchecked].contains($0.state) }
        let severities = Severity.allCases
        let counts = Dictionary(grouping: open, by: \.severity).mapValues(\.count)
        let summary =
            open.isEmpty
            ? "No open findings."
            : plural(open.count, "open finding") + ": "
                + severities.compactMap { severity in counts[severity].map { "\($0) \(severity.rawValue)" } }
                .joined(separator: ", ") + "; "
                + "\(findings.filter { $0.state == .new }.count) new, "
                + "\(findings.filter { $0.state == .resolved }.count) resolved, "
                + "\(findings.filter { $0.state == .muted }.count) muted"
                + {
                    let unchecked = findings.filter { $0.state == .unchecked }.count
                    return unchecked == 0 ? "." : ", \(unchecked) not checked this week."
                }()
        return ChecksPageView(
            weekLabel: report.week?.week.description ?? "", summary: summary, hasFindings: !findings.isEmpty,
            severities: severities.map(\.rawValue),
            pillars: Pillar.allCases.map { pillar in
                let inPillar = open.filter { $0.pillar == pillar }
                return PillarRowView(
                    pillar: Self.pillarNames[pillar]!,
                    counts: severities.map { severity in
                        let count = inPillar.filter { $0.severity == severity }.count
                        return count == 0 ? Format.missing : "\(count)"
                    }, total: "\(inPillar.count)")
            }, states: states)
    }

    /// The most function rows on one page of a service; a longer list is split into pages
    /// (`services/<slug>.html`, then `services/<slug>.page2.html` and so on).
    static let serviceRows = 100
    /// The most function and resource rows a service shows on the overview: the least healthy.
    static let overviewRows = 10

    /// The number of pages of `service`'s page.
    static func pageCount(_ service: ServiceReport) -> Int {
        max(1, (service.functions.count + serviceRows - 1) / serviceRows)
    }

    /// Worst status first (critical, warning, no data, ok), then the highest error rate, the most
    /// invocations and the name.
    static func leastHealthy(_ functions: [FunctionReport]) -> [FunctionReport] {
        functions.sorted {
            let a = ($0.health.level, $0.current.errorRate ?? -1, $0.current.invocations ?? -1)
            let b = ($1.health.level, $1.current.errorRate ?? -1, $1.current.invocations ?? -1)
            return a != b ? a > b : $0.name < $1.name
        }
    }

    static func leastHealthy(_ resources: [ResourceReport]) -> [ResourceReport] {
        resources.sorted {
            $0.health.level != $1.health.level
                ? $0.health.level > $1.health.level : ($0.kind, $0.name) < ($1.kind, $1.name)
        }
    }

    /// The team service's page (`page` of `pageCount`): its functions (a page's share of them) and,
    /// on the first page, its resources, their estimated cost, its SLOs and critical paths.
    private func serviceView(
        _ service: ServiceReport, page: Int, report: Report, pages: Pages, charts: ChartPlan
    ) -> ServicePageView {
        let count = Self.pageCount(service)
        let rows = (page - 1) * Self.serviceRows..<min(service.functions.count, page * Self.serviceRows)
        let first = page == 1
        let navigation = Self.pageNav(
            "Functions", rows: rows, of: service.functions.count, page: page, count: count,
            file: { String(pages.service(service.name, page: $0).dropFirst("services/".count)) })
        let names = Set(service.functions.map(\.name))
        let costs =
            report.lambdaEstimate.map { Self.functionCosts($0, report: report, pages: pages, prefix: "../") }?
            .filter { names.contains($0.name) } ?? []
        let levels = service.functions.map(\.health.level) + service.resources.map(\.health.level)
        let worst = [HealthStatus.Level.critical, .warning, .ok].first(where: levels.contains) ?? .noData
        let serviceTotal = report.lambdaEstimate?.functions.filter { names.contains($0.name) }.map(\.cost)
            .reduce(0, +)
        return ServicePageView(
            weekLabel: report.week?.week.description ?? "",
            section: serviceSection(
                service, functions: Array(service.functions[rows]), resources: first ? service.resources : [],
                pages: pages, charts: charts, prefix: "../"),
            pageNav: navigation,
            status: Self.statusText(worst), statusClass: Self.statusClass(worst), costs: first ? costs : [],
            hasCosts: first && !costs.isEmpty,
            costTotal: report.lambdaEstimate.map { Format.money(serviceTotal, $0.currency) } ?? Format.missing,
            costFormula: Self.functionCostFormula,
            slos: report.slos.filter { $0.service == service.name }.map {
                Self.sloView($0, zone: charts.zone, href: "../" + pages.slo($0.name), charts: [])
            },
            hasSLOs: first && report.slos.contains { $0.service == service.name },
            paths: report.paths.filter { path in first && path.steps.contains { $0.service == service.name } }.map {
                Self.pathView($0, report: report, pages: pages, prefix: "../")
            },
            hasPaths: first && report.paths.contains { path in path.steps.contains { $0.service == service.name } })
    }

    static let functionCostFormula =
        "Requests × the request price, plus GB-seconds × its architecture's average tiered price (the estimate's"
        + " duration cost ÷ its GB-seconds), plus its share of provisioned concurrency and ephemeral storage;"
        + " before the free tier, so the shares add up to the estimate plus the free-tier credit"

    static func functionCosts(_ estimate: LambdaEstimate, report: Report, pages: Pages, prefix: String)
        -> [FunctionCostView]
    {
        let services = Dictionary(report.functions.map { ($0.name, $0.service) }, uniquingKeysWith: { a, _ in a })
        let gross = estimate.total + estimate.freeTierCredit
        return estimate.functions.map { function in
            FunctionCostView(
                name: function.name, href: prefix + pages.function(function.name),
                service: services[function.name] ?? Format.missing, architecture: function.architecture,
                requests: Format.count(NSDecimalNumber(decimal: function.requests).doubleValue),
                gbSeconds: Format.count(NSDecimalNumber(decimal: function.gbSeconds).doubleValue),
                cost: Format.money(function.cost, estimate.currency),
                share: gross > 0
                    ? Format.percent(NSDecimalNumber(decimal: function.cost / gross * 100).doubleValue) : Format.missing
            )
        }
    }

    /// Every week side by side, newest first: the overview's tiles as columns.
    private func weeksPage(_ reports: [Report]) -> WeeksPageView {
        let columns = [
            "Invocations", "Errors", "p99 against timeout", "Cost", "Least error budget", "Quota most used",
            "Open findings",
        ]
        let rows = reports.reversed().compactMap { report -> WeekRowView? in
            guard let week = report.week?.week else { return nil }
            let tiles = Self.tiles(report, pages: Pages(report))
            let note = report.notes.first { $0.week == week }
            let incidents = report.notes.flatMap(\.incidents).filter {
                $0.start < report.week!.interval.upperBound && ($0.end ?? $0.start) >= report.week!.interval.lowerBound
            }
            return WeekRowView(
                label: week.description, href: "\(week)/index.html",
                range: DayLabel.day(week.mondayDays, weekday: false) + " – "
                    + DayLabel.day(week.mondayDays + 6, weekday: false),
                cells: columns.map { column in
                    guard let tile = tiles.first(where: { $0.label == column }) else {
                        return WeekCellView(
                            value: Format.missing, change: nil, changeClass: "neutral", subject: nil, title: "no data")
                    }
                    return WeekCellView(
                        value: tile.value, change: tile.change, changeClass: tile.changeClass,
                        subject: ["Invocations", "Cost"].contains(column) ? nil : tile.note, title: tile.formula)
                },
                notes: note.map { _ in "\(week)/notes.html" },
                incidents: incidents.isEmpty ? nil : incidents.map(\.title).joined(separator: "; "))
        }
        return WeeksPageView(columns: columns, weeks: rows, hasWeeks: !rows.isEmpty)
    }

    /// A page's content before the layout: its path within its week's folder, its title and its HTML.
    struct Body: Sendable {
        var path: String
        var title: String
        var html: String
    }

    /// The weeks of the site, oldest first, with the pages each has.
    struct WeekPages: Sendable {
        var week: ISOWeek?
        var paths: Set<String>
    }

    /// Where a week's pages are written: at the site root (the review week) or under `weeks/<week>/`.
    struct Location {
        var week: ISOWeek?
        var archived = false
        /// The week's index among the site's weeks.
        var index = 0
        var folder: String { archived ? "weeks/\(week!)/" : "" }
    }

    private func body<View: Codable>(_ path: String, template: String, title: String, view: View)
        throws(HeadroomError) -> Body
    {
        guard let html = library.render(TemplateContext.make(view), withTemplate: template) else {
            throw HeadroomError(.render, file: path, "the template \(template) is missing")
        }
        return Body(path: path, title: title, html: html)
    }

    /// The page in the layout: navigation within its week, and the previous week's same page.
    /// `root` replaces the relative way to the site root, for the 404 page.
    private func wrap(
        _ body: Body, at location: Location, site report: Report?, weeks: [WeekPages], root fixed: String? = nil
    ) throws(HeadroomError) -> SiteFile {
        let path = location.folder + body.path
        let root = fixed ?? String(repeating: "../", count: path.split(separator: "/").count - 1)
        let weekRoot = fixed ?? String(repeating: "../", count: body.path.split(separator: "/").count - 1)
        // The site's sections; the gallery stands alone and has none.
        let sections = [
            ("Overview", "index.html"), ("SLOs", "slos.html"), ("Costs", "costs.html"), ("Limits", "limits.html"),
            ("Checks", "checks.html"), ("Notes", "notes.html"), ("Sources", "sources.html"),
        ]
        /// The same page in another week, or that week's overview when the page does not exist there.
        func link(_ index: Int) -> WeekLinkView? {
            guard weeks.indices.contains(index), let week = weeks[index].week else { return nil }
            let page = weeks[index].paths.contains(body.path) ? body.path : "index.html"
            return WeekLinkView(label: week.description, href: root + "weeks/\(week)/" + page)
        }
        var weekView: WeekNavView?
        if report != nil, let week = location.week {
            weekView = WeekNavView(
                label: week.description, range: Self.range(of: week), previous: link(location.index - 1),
                archived: location.archived,
                latest: location.archived ? WeekLinkView(label: "", href: root + body.path) : nil)
        }
        let layout = LayoutView(
            siteTitle: report?.title ?? "Headroom", pageTitle: body.title, root: root,
            home: weekRoot + "index.html",
            week: weekView,
            nav: report == nil
                ? []
                : sections.map {
                    NavItemView(
                        label: $0.0, href: weekRoot + $0.1, current: $0.1 == body.path,
                        inSection: $0.1 != body.path && Self.section(of: body.path) == $0.1)
                },
            hasSearch: report != nil,
            generator: generator,
            content: TrustedHTML(trusted: body.html))
        guard let html = library.render(TemplateContext.make(layout), withTemplate: "layout") else {
            throw HeadroomError(.render, file: path, "the layout template is missing")
        }
        return SiteFile(path: path, contents: Data(html.utf8))
    }

    /// Where each function's and resource's page is, relative to the site root.
    struct Pages {
        var functions: Slugs
        var resources: Slugs
        var slos: Slugs
        var services: Slugs
        /// The findings' rule ids: two ids that slug alike (`a.b`, `a-b`) get distinct anchors.
        var rules: Slugs

        init(_ report: Report) {
            functions = Slugs(report.functions.map(\.name))
            resources = Slugs(report.services.flatMap(\.resources).map { "\($0.kind)-\($0.name)" })
            slos = Slugs(report.slos.map(\.name))
            services = Slugs(report.services.map(\.name))
            rules = Slugs(report.findings.map(\.ruleId))
        }
        /// A service's page; its second page and later ones get `.page<n>` (never in a slug).
        func service(_ name: String, page: Int = 1) -> String {
            "services/\(services[name])" + (page == 1 ? "" : ".page\(page)") + ".html"
        }

        func function(_ name: String) -> String { "functions/\(functions[name]).html" }
        func slo(_ name: String) -> String { "slos/\(slos[name]).html" }
        /// A finding's rule among the findings in its state on the Checks page.
        func anchor(rule: String, state: String) -> String { "\(state)-" + rules[rule] }
        func finding(rule: String, state: String) -> String { "checks.html#" + anchor(rule: rule, state: state) }
        func resource(_ resource: ResourceReport) -> String {
            "resources/\(resources["\(resource.kind)-\(resource.name)"]).html"
        }
    }

    private func overview(
        _ report: Report, changes: [Change], pages: Pages, charts: ChartPlan, slos: [SLOView]
    ) throws(HeadroomError) -> OverviewView {
        let shown = 12
        let hidden = Dictionary(grouping: changes.dropFirst(shown), by: \.impact).sorted { $0.key < $1.key }
            .map { "\($0.value.count) more \($0.key)" + ($0.value.count == 1 ? "" : "s") }
        return OverviewView(
            siteTitle: report.title,
            hasData: report.week != nil,
            weekLabel: report.week?.week.description ?? "",
            weekRange: report.week.map { Self.range(of: $0.week) } ?? "",
            timeZone: report.week?.timeZone ?? "",
            tiles: Self.tiles(report, pages: pages),
            changes: changes.prefix(shown).map { Self.changeView($0, report: report, pages: pages) },
            hasChanges: !changes.isEmpty,
            moreChanges: hidden.isEmpty ? nil : "and " + hidden.joined(separator: " and "),
            services: report.services.map { service in
                let functions =
                    service.functions.count > Self.overviewRows
                    ? Array(Self.leastHealthy(service.functions).prefix(Self.overviewRows)) : service.functions
                let resources =
                    service.resources.count > Self.overviewRows
                    ? Array(Self.leastHealthy(service.resources).prefix(Self.overviewRows)) : service.resources
                return serviceSection(
                    service, functions: functions, resources: resources, overview: true, pages: pages, charts: charts,
                    prefix: "")
            },
            paths: report.paths.map { Self.pathView($0, report: report, pages: pages, prefix: "") },
            hasPaths: !report.paths.isEmpty,
            warnings: report.warnings, hasWarnings: !report.warnings.isEmpty, note: try noteView(report),
            actions: Self.actionViews(report), hasActions: !report.actions.isEmpty,
            cost: report.cost.map { Self.costView($0, charts: []) },
            slos: slos, hasSLOs: !slos.isEmpty,
            quotas: report.quotas.prefix(5).map(Self.quotaView), hasQuotas: !report.quotas.isEmpty,
            sources: Self.totals(report.sources), coverage: Self.coverageLine(report))
    }

    /// `review-<week>.html`: the overview and the cost and limit charts in one file, its stylesheet
    /// inline under a hashed Content-Security-Policy, no script. Links lead to the week's frozen
    /// pages on the site when baseURL is set, and are dropped otherwise.
    private func review(_ report: Report, week: ISOWeek, overview: Body) throws(HeadroomError) -> SiteFile {
        let path = "review-\(week).html"
        guard let css = theme.assets.first(where: { $0.path == "assets/style.css" })?.text else {
            throw HeadroomError(.render, file: path, "the theme has no assets/style.css to inline")
        }
        guard !css.lowercased().contains("</style") else {
            throw HeadroomError(
                .render, file: "assets/style.css", "the stylesheet contains </style and cannot be inlined")
        }
        let siteURL = report.baseURL.map { $0 + "weeks/\(week)/" }
        let plan = ChartPlan(report, sparklines: false)
        let charts = (report.cost.map { plan.costCharts($0) } ?? []) + plan.quotaCharts().prefix(1)
        let view = ReviewView(
            siteTitle: report.title, weekLabel: week.description, range: Self.range(of: week),
            siteURL: siteURL.map { $0 + "index.html" }, css: TrustedHTML(trusted: css),
            styleSource: TrustedHTML(trusted: CSP.hashSource(css)), generator: generator,
            content: TrustedHTML(trusted: Self.absolute(links: overview.html, base: siteURL)), charts: charts,
            hasCharts: !charts.isEmpty)
        guard let html = library.render(TemplateContext.make(view), withTemplate: "review") else {
            throw HeadroomError(.render, file: path, "the review template is missing")
        }
        return SiteFile(path: path, contents: Data(html.utf8))
    }

    /// The review week's page at the site root that sends the browser to its copy in the week's
    /// folder (`pages(week:report:plan:)`).
    private func latest(_ body: Body, week: ISOWeek, siteTitle: String) throws(HeadroomError) -> SiteFile {
        let root = String(repeating: "../", count: body.path.split(separator: "/").count - 1)
        let view = LatestView(
            siteTitle: siteTitle, pageTitle: body.title, weekLabel: week.description,
            href: root + "weeks/\(week)/" + body.path, root: root, generator: generator)
        guard let html = library.render(TemplateContext.make(view), withTemplate: "latest") else {
            throw HeadroomError(.render, file: body.path, "the latest template is missing")
        }
        return SiteFile(path: body.path, contents: Data(html.utf8))
    }

    /// Rewrites the relative links of the overview's HTML for the single file: `index.html#x` to
    /// `#x`, others against `base`, or removed without one (an `<a>` without href is plain text). Text is escaped, so `href="` only occurs in real attributes.
    static func absolute(links html: String, base: String?) -> String {
        let bytes = Array(html.utf8)
        let marker = Array(#" href=""#.utf8)
        let quote = UInt8(ascii: "\"")
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count)
        var copied = 0
        var at = 0
        while at + marker.count <= bytes.count {
            guard bytes[at] == marker[0], bytes[at..<at + marker.count].elementsEqual(marker) else {
                at += 1
                continue
            }
            let start = at + marker.count
            guard let end = bytes[start...].firstIndex(of: quote) else { break }
            let url = String(decoding: bytes[start..<end], as: UTF8.self)
            result += bytes[copied..<at]
            if url.hasPrefix("index.html#") {  // within this file
                result += Array(##" href="#"##.utf8) + url.utf8.dropFirst("index.html#".count) + [quote]
            } else if url.hasPrefix("#") || url.contains(":") {
                result += bytes[at...end]
            } else if let base {
                result += marker + Array(base.utf8) + url.utf8 + [quote]
            }
            copied = end + 1
            at = copied
        }
        result += bytes[copied...]
        return String(decoding: result, as: UTF8.self)
    }

    /// The section a detail page belongs to: an SLO to the error budgets, the rest to the overview.
    static func section(of path: String) -> String? {
        if path.hasPrefix("slos/") { return "slos.html" }
        if path.hasPrefix("checks/") { return "checks.html" }
        if ["functions/", "resources/", "services/"].contains(where: path.hasPrefix) { return "index.html" }
        return nil
    }

    /// A week in one paragraph, for the feed: the headline figures and the three largest changes.
    static func summary(_ report: Report, changes: [Change]) -> String {
        let figures = tiles(report, pages: Pages(report)).map {
            "\($0.label) \($0.value)" + ($0.change.map { " (\($0))" } ?? "")
        }
        let changes = changes.prefix(3).map(\.text)
        return figures.joined(separator: "; ") + "."
            + (changes.isEmpty ? "" : " What changed: " + changes.joined(separator: "; ") + ".")
    }

    static func changeView(_ change: Change, report: Report, pages: Pages) -> ChangeView {
        let href: String
        switch change.subject {
        case .function(let name): href = pages.function(name)
        case .slo(let name): href = pages.slo(name)
        case .quota: href = "limits.html"
        case .cost: href = "costs.html"
        case .finding(let rule, let state): href = pages.finding(rule: rule, state: "\(state)")
        case .resource(let kind, let name):
            href =
                report.services.flatMap(\.resources).first { $0.kind == kind && $0.name == name }.map(pages.resource)
                ?? "index.html"
        }
        return ChangeView(impact: change.impact.description, area: change.area, text: change.text, href: href)
    }

    /// A service's tables of `functions` and `resources`: the service's, a page's share of them,
    /// or on the `overview` its least healthy (the table says so); `prefix` leads from the page to
    /// the week's folder.
    private func serviceSection(
        _ service: ServiceReport, functions: [FunctionReport], resources: [ResourceReport], overview: Bool = false,
        pages: Pages, charts: ChartPlan, prefix: String
    ) -> ServiceSectionView {
        let href = prefix + pages.service(service.name)
        func cut(_ shown: Int, of all: Int, _ noun: String) -> ListCutView? {
            guard overview, shown < all else { return nil }
            return ListCutView(
                text: "The \(shown) least healthy of \(Format.grouped(Int64(all))) \(noun), worst first.",
                href: href, linkText: "Every one on the \(service.name) page")
        }
        return ServiceSectionView(
            name: service.name, anchor: "service-" + Slugs.slug(service.name),
            href: href,
            description: service.description,
            functions: functions.map {
                row($0, href: prefix + pages.function($0.name), sparkline: charts.sparkline($0))
            },
            hasFunctions: !functions.isEmpty,
            functionsCut: cut(functions.count, of: service.functions.count, "functions"),
            totals: FunctionRowView(
                name: "All functions", href: "", status: "", statusClass: "", statusReasons: "",
                invocations: Format.count(service.totals.invocations),
                errors: Format.count(service.totals.errors),
                errorRate: Format.percent(service.totals.errorRate),
                p99: "", p99Note: nil, hasWarnings: false, sparkline: nil),
            resources: resources.map { Self.resourceRow($0, href: prefix + pages.resource($0)) },
            hasResources: !resources.isEmpty,
            resourcesCut: cut(resources.count, of: service.resources.count, "resources"))
    }

    /// The week at a glance: invocations and error % of every function, the p99 nearest its timeout, cost,
    /// the least error budget left, and the most used quota, each against the week before.
    static func tiles(_ report: Report, pages: Pages) -> [TileView] {
        func sum(_ values: [Double?]) -> Double? {
            let present = values.compactMap { $0 }
            return present.isEmpty ? nil : present.reduce(0, +)
        }
        /// Whether a rise is `worse` (errors, latency, cost) or `neutral` (traffic).
        /// Changes smaller than `shown` (what the tile prints) are neutral.
        func direction(_ change: Double?, worseWhenUp: Bool, shown: Double = 0) -> String {
            guard let change, abs(change) >= shown, change != 0, worseWhenUp else { return "neutral" }
            return change > 0 ? "worse" : "better"
        }
        let functions = report.functions
        let invocations = sum(functions.map(\.current.invocations))
        let previousInvocations = sum(functions.map { $0.previous?.invocations })
        let errors = sum(functions.map(\.current.errors))
        let previousErrors = sum(functions.map { $0.previous?.errors })
        var rate: Double?
        var previousRate: Double?
        if let invocations, let errors, invocations > 0 { rate = errors / invocations * 100 }
        if let previousInvocations, let previousErrors, previousInvocations > 0 {
            previousRate = previousErrors / previousInvocations * 100
        }
        // Traffic and errors lead to the first service's table.
        let services = "index.html#service-" + Slugs.slug(report.services.first?.name ?? "")
        var tiles = [
            TileView(
                label: "Invocations", value: Format.count(invocations),
                change: Format.change(from: previousInvocations, to: invocations), changeClass: "neutral",
                note: "of \(plural(functions.count, "function"))",
                href: services,
                formula: "Sum of AWS/Lambda Invocations (Sum) over the week, every function"),
            TileView(
                label: "Errors", value: Format.percent(rate),
                change: Format.pointChange(from: previousRate, to: rate),
                changeClass: direction(
                    rate.flatMap { r in previousRate.map { r - $0 } }, worseWhenUp: true, shown: 0.005),
                note: "\(Format.count(errors)) errors",
                href: services,
                formula: "Errors ÷ Invocations × 100 over every function; the change is in percentage points"),
        ]
        // Latency as the reader acts on it: the p99 nearest its function's timeout.
        let timed = functions.filter { $0.current.p99 != nil && ($0.timeoutSeconds ?? 0) > 0 }
        func share(_ function: FunctionReport) -> Double {
            function.current.p99!.value / Double(function.timeoutSeconds! * 1000)
        }
        if let nearest = timed.max(by: { (share($0), $1.name) < (share($1), $0.name) }) {
            let now = nearest.current.p99!
            tiles.append(
                TileView(
                    label: "p99 against timeout", value: percentile(now),
                    change: Format.change(from: nearest.previous?.p99?.value, to: now.value),
                    changeClass: direction(
                        nearest.previous?.p99.map { (now.value - $0.value) / $0.value * 100 }, worseWhenUp: true,
                        shown: 0.05),
                    note: "\(nearest.name), \(Format.percent(share(nearest) * 100)) of \(nearest.timeoutSeconds!) s",
                    href: pages.function(nearest.name),
                    formula: "The function whose weekly Duration p99 ÷ its timeout is highest; "
                        + percentileFormula(now, "p99")))
        }
        if let cost = report.cost {
            let change = cost.previousTotal.map { NSDecimalNumber(decimal: cost.total - $0).doubleValue }
            tiles.append(
                TileView(
                    label: "Cost", value: Format.money(cost.total, cost.currency),
                    change: Format.change(from: cost.previousTotal, to: cost.total),
                    changeClass: direction(change, worseWhenUp: true), note: "\(cost.metric), \(cost.days) of 7 days",
                    href: "costs.html", formula: "The week's \(cost.metric) of every service, in \(cost.currency)"))
        }
        if let slo = report.slos.first, let consumed = slo.budgetConsumedPercent {
            tiles.append(
                TileView(
                    label: "Least error budget", value: Format.percent(100 - consumed), change: nil,
                    changeClass: "neutral", note: slo.displayName ?? slo.name, href: pages.slo(slo.name),
                    formula: "The budget left of the objective that has least: 100% − bad ÷ budget"))
        }
        if !report.findings.isEmpty {
            let open = report.findings.filter { ![.resolved, .muted, .unchecked].contains($0.state) }
            let unchecked = report.findings.filter { $0.state == .unchecked }.count
            let serious = open.filter { $0.severity <= .high }.count
            let fresh = report.findings.filter { $0.state == .new || $0.state == .regressed }.count
            let resolved = report.findings.filter { $0.state == .resolved }.count
            tiles.append(
                TileView(
                    label: "Open findings", value: "\(open.count)",
                    change: fresh + resolved == 0 ? nil : "+\(fresh) new, −\(resolved) resolved",
                    changeClass: fresh > resolved ? "worse" : fresh < resolved ? "better" : "neutral",
                    note: "\(serious) critical or high"
                        + (unchecked == 0 ? "" : "; \(unchecked) not checked this week"),
                    href: "checks.html",
                    formula:
                        "Findings of the rules and imported tools this week, not muted; new counts those back again; not checked: open when last seen, their source sent nothing this week"
                ))
        }
        if let quota = report.quotas.first, let used = quota.utilisation {
            tiles.append(
                TileView(
                    label: "Quota most used", value: Format.percent(used), change: nil, changeClass: "neutral",
                    note: quota.name, href: "limits.html",
                    formula: "This week's peak ÷ the limit × 100, the highest of every quota"))
        }
        return tiles
    }

    static func quotaView(_ quota: QuotaReport) -> QuotaView {
        let number = { (value: Double?) in
            value.map { $0 == $0.rounded() ? Format.count($0) : String(format: "%.2f", $0) } ?? Format.missing
        }
        return QuotaView(
            name: quota.name, service: quota.service, limit: number(quota.limit), peak: number(quota.peak),
            p95: number(quota.p95), utilisation: Format.percent(quota.utilisation),
            statusClass: quota.status == .noData ? "no-data" : quota.status.rawValue,
            projection: quota.projection.description,
            adjustable: quota.adjustable.map { $0 ? "yes" : "no" } ?? Format.missing,
            detail: "\(quota.code); usage: \(quota.usage); weekly peaks: "
                + quota.weeklyPeaks.map { "\($0.week) \(number($0.peak))" }.joined(separator: ", ")
                + "; from \(quota.source)")
    }

    /// `99.9%` for a target of 0.999.
    static func objectiveText(_ target: Double) -> String { String(format: "%g%%", target * 100) }

    static func sloView(_ slo: SLOReport, zone: TimeZone, href: String, charts: [ChartView]) -> SLOView {
        let remaining = slo.budgetConsumedPercent.map { 100 - $0 }
        var note: String?
        var statusClass = "ok"
        switch slo.status {
        case .computed:
            if let remaining, remaining <= 0 {
                statusClass = "critical"
                note = "budget exhausted"
            } else if let remaining, remaining < 25 {
                statusClass = "warning"
            }
        case .noData:
            statusClass = "no-data"
            note = "no data in the window"
        case .notComputed(let reason):
            statusClass = "no-data"
            note = "not computed yet: \(reason)"
        }
        let objective = objectiveText(slo.target)
        let exhaustion: String =
            switch slo.exhaustion {
            case .exhausted: "already exhausted"
            case .at(let instant): Format.localTime(instant, zone: zone)
            case .notBeforeWindowEnd(let end): "not before the window ends (\(Format.localTime(end, zone: zone)))"
            case .sustainable: "lasts: burning at most 1×"
            case .noBurn: slo.status == .computed ? "lasts: no burn this week" : Format.missing
            }
        let units =
            switch slo.budgeting {
            case .occurrences: "events"
            case .timeslices: "time slices"
            case .ratioTimeslices: "time slices (their ratios averaged)"
            }
        let window = { (seconds: Int) in
            seconds % 86_400 == 0
                ? "\(seconds / 86_400) d" : seconds % 3600 == 0 ? "\(seconds / 3600) h" : "\(seconds / 60) min"
        }
        let alerts = slo.alerts.map { alert in
            let first = alert.episodes.first
            return BurnAlertView(
                severity: alert.severity, threshold: ValueUnit.ratio.format(alert.burnRate),
                longWindow: window(alert.longWindowSeconds), shortWindow: window(alert.shortWindowSeconds),
                highest: alert.highest.map {
                    ValueUnit.ratio.format($0.value) + " (period ending \(Format.localTime($0.time, zone: zone)))"
                } ?? "no data",
                outcome: first.map {
                    "fired: " + plural(alert.episodes.count, "episode") + ", first "
                        + Format.localTime($0.lowerBound, zone: zone)
                } ?? (alert.highest == nil ? "not evaluated: no data" : "did not fire"),
                statusClass: first == nil ? "ok" : alert.severity == "page" ? "critical" : "warning")
        }
        var alertsMissing: String?
        if alerts.isEmpty {
            alertsMissing =
                switch slo.status {
                case .computed: "none evaluated: no data in the report week"
                case .noData: "none evaluated: no data in the window"
                case .notComputed(let reason): "none evaluated: not computed yet (\(reason))"
                }
        }
        return SLOView(
            name: slo.displayName ?? slo.name, href: href, charts: charts,
            service: slo.service ?? Format.missing, objective: objective,
            window: "\(slo.window.count)\(slo.window.unit.rawValue) " + (slo.window.isRolling ? "rolling" : "calendar")
                + (slo.budgeting == .occurrences ? "" : ", \(slo.budgeting.rawValue)"),
            exhaustion: exhaustion,
            attainment: slo.attainment.map { String(format: "%.3f%%", $0 * 100) } ?? Format.missing,
            remaining: remaining.map { Format.percent($0) } ?? Format.missing, statusClass: statusClass,
            burnRate: slo.weekBurnRate.map { ValueUnit.ratio.format($0) } ?? Format.missing, budgetNote: note,
            alerts: alerts, alertsMissing: alertsMissing,
            weekly: slo.weekly.map { item in
                let label = "W" + String(item.week.description.suffix(2))
                guard let attainment = item.attainment else { return "\(label) no data" }
                return "\(label) " + (attainment >= slo.target ? "met" : "missed")
                    + String(format: " (%.2f%%)", attainment * 100)
            }.joined(separator: ", "),
            formula: "\(slo.budgeting.rawValue): attainment = good ÷ total \(units) over the window"
                + (slo.interval.map {
                    " (\(Format.localTime($0.lowerBound, zone: zone)) to \(Format.localTime($0.upperBound, zone: zone)))"
                } ?? "")
                + "; budget = (1 − \(objective)) × total"
                + (slo.window.isRolling ? "" : " × window length ÷ time elapsed (the whole period's budget)")
                + "; remaining = 100% − bad ÷ budget; burn = this week's bad ÷ total ÷ (1 − objective);"
                + " runs out = budget left × window length ÷ burn. From \(slo.source)"
        )
    }

    static func costMonthView(_ month: CostMonth) -> CostMonthView {
        let whole = month.days >= month.daysInMonth
        let basis: String =
            switch month.basis {
            case .monthly:
                whole ? "monthly records" : "monthly records, days 1 to \(month.days) of \(month.daysInMonth)"
            case .daily: "daily records, \(month.days) of \(month.daysInMonth) days"
            }
        return CostMonthView(
            month: month.month, amount: Format.money(month.amount, month.currency), basis: basis,
            estimated: month.estimated)
    }

    static func costView(_ cost: CostWeek, charts: [ChartView]) -> CostView {
        func row(_ service: CostWeek.Service) -> CostRowView {
            CostRowView(
                name: service.name, current: Format.money(service.current, cost.currency),
                previous: Format.money(service.previous, cost.currency),
                change: Format.moneyChange(from: service.previous, to: service.current, cost.currency),
                changePercent: Format.change(from: service.previous, to: service.current) ?? Format.missing)
        }
        func movers(_ list: [CostWeek.Service]) -> String {
            list.isEmpty
                ? "none"
                : list.map {
                    "\($0.name) \(Format.moneyChange(from: $0.previous, to: $0.current, cost.currency))"
                        + " (\(Format.change(from: $0.previous, to: $0.current) ?? Format.missing))"
                }.joined(separator: "; ")
        }
        let titles = ["ACCOUNT": "Cost by account", "REGION": "Cost by region", "FUNCTION": "Lambda cost by function"]
        return CostView(
            breakdowns: cost.breakdowns.map { breakdown in
                let title =
                    titles[breakdown.dimension]
                    ?? (breakdown.dimension.hasPrefix("TAG:")
                        ? "Cost by tag \(breakdown.dimension.dropFirst(4))" : "Cost by \(breakdown.dimension)")
                return BreakdownView(
                    title: title, rows: breakdown.rows.prefix(10).map(row),
                    more: breakdown.rows.count > 10 ? "and \(breakdown.rows.count - 10) more" : nil)
            },
            moversByAmount: movers(cost.moversByAmount), moversByPercent: movers(cost.moversByPercent),
            metric: cost.metric, total: Format.money(cost.total, cost.currency),
            previousTotal: Format.money(cost.previousTotal, cost.currency),
            change: Format.moneyChange(from: cost.previousTotal, to: cost.total, cost.currency),
            changePercent: Format.change(from: cost.previousTotal, to: cost.total) ?? Format.missing,
            days: "\(cost.days) of 7 days", estimated: cost.estimated,
            month: cost.month, monthToDate: Format.money(cost.monthToDate, cost.currency),
            monthForecast: Format.money(cost.monthForecast, cost.currency),
            lambdaPerMillion: Format.money(cost.lambdaCostPerMillionInvocations, cost.currency),
            perMillionSuccessful: Format.money(cost.costPerMillionSuccessfulInvocations, cost.currency),
            budget: cost.monthlyBudget.flatMap { budget -> String? in
                guard budget > 0 else { return nil }
                let share = NSDecimalNumber(decimal: cost.monthForecast / budget * 100).doubleValue
                return "Budget \(Format.money(budget, cost.currency)) for \(cost.month): the forecast is "
                    + String(format: "%.1f%%", share) + " of it"
            },
            budgetClass: cost.monthlyBudget.map { $0 > 0 && cost.monthForecast > $0 ? "critical" : "ok" } ?? "ok",
            spikes: cost.spikes.map { spike in
                SpikeView(
                    service: spike.service, day: spike.day, amount: Format.money(spike.amount, cost.currency),
                    baseline: Format.money(spike.baseline, cost.currency))
            },
            hasSpikes: !cost.spikes.isEmpty,
            services: cost.services.map(row), charts: charts)
    }

    static func estimateView(_ estimate: LambdaEstimate, report: Report, pages: Pages) -> EstimateView {
        let currency = estimate.currency
        func amount(_ value: Decimal) -> String {
            Format.count(NSDecimalNumber(decimal: value).doubleValue)
        }
        var rows = [
            EstimateRowView(
                item: "Requests", usage: amount(estimate.requests), cost: Format.money(estimate.requestCost, currency))
        ]
        for architecture in estimate.gbSeconds.keys.sorted() {
            rows.append(
                EstimateRowView(
                    item: "Duration, \(architecture) (tiered)",
                    usage: amount(estimate.gbSeconds[architecture]!) + " GB-s",
                    cost: Format.money(estimate.durationCost[architecture], currency)))
        }
        for architecture in estimate.provisionedGBSeconds.keys.sorted() {
            rows.append(
                EstimateRowView(
                    item: "Provisioned concurrency, \(architecture)",
                    usage: amount(estimate.provisionedGBSeconds[architecture]!) + " GB-s",
                    cost: Format.money(estimate.provisionedCost[architecture], currency)))
            if let used = estimate.provisionedDurationGBSeconds[architecture] {
                rows.append(
                    EstimateRowView(
                        item: "Duration on provisioned instances, \(architecture)", usage: amount(used) + " GB-s",
                        cost: Format.money(estimate.provisionedDurationCost[architecture], currency)))
            }
        }
        if estimate.ephemeralGBSeconds > 0 {
            rows.append(
                EstimateRowView(
                    item: "Ephemeral storage above 512 MB", usage: amount(estimate.ephemeralGBSeconds) + " GB-s",
                    cost: Format.money(estimate.ephemeralCost, currency)))
        }
        if estimate.freeTierCredit > 0 {
            rows.append(
                EstimateRowView(
                    item: "Free tier (the week's share)", usage: "",
                    cost: Format.money(-estimate.freeTierCredit, currency)))
        }
        var reconciliation: String?
        if let billed = estimate.billed, let difference = estimate.difference {
            reconciliation =
                "The bill shows \(Format.money(billed, currency)) for Lambda this week: "
                + "\(Format.money(difference.magnitude, currency)) \(difference >= 0 ? "more" : "less") than the estimate"
                + (estimate.differencePercent.map {
                    " (" + String(format: "%.1f%%", NSDecimalNumber(decimal: $0).doubleValue) + " of the bill)"
                } ?? "") + (estimate.billEstimated ? "; the bill's amounts are still estimates." : ".")
        }
        return EstimateView(
            total: Format.money(estimate.total, currency), priceVersion: estimate.priceVersion,
            priceSource: estimate.priceSource, rows: rows, reconciliation: reconciliation,
            missing: estimate.missing.isEmpty && estimate.notes.isEmpty
                ? nil
                : ((estimate.missing.isEmpty
                    ? [] : ["Left out (no Duration Sum or memory size): " + estimate.missing.joined(separator: ", ")])
                    + estimate.notes).joined(separator: ". "),
            costs: functionCosts(estimate, report: report, pages: pages, prefix: ""),
            hasCosts: !estimate.functions.isEmpty, costFormula: functionCostFormula)
    }

    static func totals(_ sources: [SourceFile]) -> SourcesView {
        let read = sources.filter { if case .read = $0.status { true } else { false } }.count
        let invalid = sources.filter { if case .invalid = $0.status { true } else { false } }.count
        let ignored = sources.filter { if case .ignored = $0.status { true } else { false } }.count
        return SourcesView(
            read: read, invalid: invalid == 0 ? nil : invalid, ignored: ignored == 0 ? nil : ignored,
            series: sources.reduce(0) { $0 + $1.seriesCount })
    }

    private func sourcesPage(_ report: Report) -> SourcesPageView {
        let shownCoverage = Array(
            report.coverage.filter { week in report.week.map { week.week <= $0.week } ?? false }
                .suffix(Self.coverageWeeksShown))
        func cell(_ level: Coverage.Level?, files: Int) -> CoverageCellView {
            switch level ?? .absent {
            case .complete: CoverageCellView(level: "complete", text: plural(files, "file"))
            case .partial: CoverageCellView(level: "partial", text: "partial, " + plural(files, "file"))
            case .absent: CoverageCellView(level: "absent", text: "none")
            }
        }
        let namespaces = Array(Set(shownCoverage.flatMap { $0.namespaces.map(\.name) })).sorted()
        let coverageRows = Coverage.Kind.allCases.flatMap { kind in
            let row = CoverageRowView(
                kind: kind.label,
                cells: shownCoverage.map { week in
                    let entry = week.entries.first { $0.kind == kind }
                    return cell(entry?.level, files: entry?.files.count ?? 0)
                })
            guard kind == .metrics else { return [row] }
            return [row]
                + namespaces.map { name in
                    CoverageRowView(
                        kind: name,
                        cells: shownCoverage.map { week in
                            let found = week.namespaces.first { $0.name == name }
                            return cell(found?.level, files: found?.files.count ?? 0)
                        }, part: true)
                }
        }
        let reasons =
            shownCoverage.last?.entries.flatMap { entry in entry.reasons.map { "\(entry.kind.label): \($0)" } } ?? []
        return SourcesPageView(
            files: report.sources.map { source in
                let (format, status): (String, String) =
                    switch source.status {
                    case .read(let format): (format.rawValue, "read")
                    case .empty: ("empty file", "empty")
                    case .ignored: ("not read", "ignored")
                    case .invalid: ("invalid, skipped", "invalid")
                    }
                var warnings = source.warnings
                if case .invalid(let reason) = source.status { warnings.insert(reason, at: 0) }
                if case .ignored(let reason) = source.status { warnings.insert(reason, at: 0) }
                return SourceRowView(
                    path: source.path, format: format, status: status, series: Format.count(Double(source.seriesCount)),
                    points: Format.count(Double(source.pointCount)), records: Format.count(Double(source.recordCount)),
                    warnings: warnings, hasWarnings: !warnings.isEmpty)
            },
            hasFiles: !report.sources.isEmpty, totals: Self.totals(report.sources),
            coverageWeeks: shownCoverage.map(\.week.description), coverageRows: coverageRows,
            hasCoverage: !shownCoverage.isEmpty, coverageReasons: reasons, hasCoverageReasons: !reasons.isEmpty)
    }

    /// The weeks the Sources page shows the coverage of: the report's week and up to 7 before it.
    static let coverageWeeksShown = 8

    /// "This week rests on metrics, …; partly on cost; not on Prowler, …": for the overview.
    static func coverageLine(_ report: Report) -> String? {
        guard let coverage = report.weekCoverage else {
            return nil
        }
        func names(_ level: Coverage.Level) -> String? {
            let kinds = coverage.entries.filter { $0.level == level }.map(\.kind.label)
            return kinds.isEmpty ? nil : kinds.joined(separator: ", ")
        }
        var parts: [String] = []
        if let complete = names(.complete) { parts.append("This week's figures rest on " + complete) }
        if let partial = names(.partial) {
            parts.append((parts.isEmpty ? "This week's figures rest partly on " : "partly on ") + partial)
        }
        if let absent = names(.absent) {
            parts.append((parts.isEmpty ? "No source covered this week: not " : "not on ") + absent)
        }
        return parts.joined(separator: "; ") + "."
    }

    private func row(_ function: FunctionReport, href: String, sparkline: TrustedHTML?) -> FunctionRowView {
        FunctionRowView(
            name: function.name, href: href, status: Self.statusText(function.health.level),
            statusClass: Self.statusClass(function.health.level),
            statusReasons: function.health.reasons.joined(separator: "; "),
            invocations: Format.count(function.current.invocations),
            errors: Format.count(function.current.errors), errorRate: Format.percent(function.current.errorRate),
            p99: Self.percentile(function.current.p99), p99Note: Self.percentileNote(function.current.p99),
            hasWarnings: !function.warnings.isEmpty, sparkline: sparkline)
    }

    static func resourceRow(_ resource: ResourceReport, href: String) -> ResourceRowView {
        let errors = resource.signals.first { $0.metric.role == .errors && $0.current != nil }
        let latencies = resource.signals.filter { $0.metric.role == .latency && $0.current != nil }
        let latency = latencies.first { $0.metric.stat == "p99" } ?? latencies.first
        return ResourceRowView(
            name: resource.name, href: href, kind: resource.kind, status: statusText(resource.health.level),
            statusClass: statusClass(resource.health.level),
            statusReasons: resource.health.reasons.joined(separator: "; "),
            volume: resource.volume.map { Format.measure($0.current, unit: $0.metric.unit) } ?? Format.missing,
            volumeMetric: resource.volume?.metric.label ?? "no volume metric in the catalog",
            errors: errors.map { $0.percent.map { Format.percent($0) } ?? Format.count($0.current) } ?? Format.missing,
            errorsMetric: errors.map { $0.metric.label + ($0.metric.percentOf.map { " ÷ \($0)" } ?? "") }
                ?? "no errors datapoint this week",
            latency: latency.map { Format.measure($0.current, unit: $0.metric.unit) } ?? Format.missing,
            latencyMetric: latency.map { "\($0.metric.label): \($0.formula)" } ?? "no latency datapoint this week")
    }

    static func pathView(_ path: PathReport, report: Report, pages: Pages, prefix: String) -> PathView {
        let resources = report.services.flatMap(\.resources)
        return PathView(
            name: path.name, description: path.description, status: statusText(path.health.level),
            statusClass: statusClass(path.health.level),
            steps: path.steps.map { step in
                var href: String?
                if step.kind == "function", let name = step.resource {
                    href = prefix + pages.function(name)
                } else if let found = resources.first(where: { $0.kind == step.kind && $0.name == step.resource }) {
                    href = prefix + pages.resource(found)
                }
                return PathStepView(
                    name: step.name, kind: step.kind ?? "unknown", href: href, status: statusText(step.health.level),
                    statusClass: statusClass(step.health.level),
                    statusReasons: step.health.reasons.joined(separator: "; "))
            },
            reasons: path.health.reasons, hasReasons: !path.health.reasons.isEmpty)
    }

    /// A catalog signal as a row of a figures table: the percentage joins the count.
    static func signalRow(_ signal: Signal) -> SignalRowView {
        let unit = signal.metric.unit
        var current = Format.measure(signal.current, unit: unit)
        var formula = signal.formula
        if let percent = signal.percent, let base = signal.metric.percentOf {
            current += " (\(Format.percent(percent)))"
            formula += "; % = \(signal.metric.name) ÷ \(base) × 100"
        }
        return SignalRowView(
            signal: signal.metric.label, current: current, previous: Format.measure(signal.previous, unit: unit),
            change: Format.change(from: signal.previous, to: signal.current) ?? Format.missing, formula: formula)
    }

    private func resourceView(_ resource: ResourceReport, report: Report, pages: Pages, charts plan: ChartPlan)
        -> ResourceView
    {
        let charts = plan.resourceCharts(resource)
        let findings = Self.findings(on: resource.name, kind: resource.kind, report, pages: pages)
        return ResourceView(
            name: resource.name, kind: resource.kind, namespace: resource.namespace, service: resource.service,
            serviceHref: "../" + pages.service(resource.service),
            status: Self.statusText(resource.health.level), statusClass: Self.statusClass(resource.health.level),
            reasons: resource.health.reasons, hasReasons: !resource.health.reasons.isEmpty,
            weekLabel: report.week?.week.description ?? "",
            previousWeekLabel: report.week?.week.previous.description ?? "",
            rows: resource.signals.map(Self.signalRow), charts: charts, hasCharts: !charts.isEmpty,
            findings: findings, hasFindings: !findings.isEmpty,
            sources: resource.sources)
    }

    static func statusText(_ level: HealthStatus.Level) -> String {
        switch level {
        case .ok: "OK"
        case .noData: "No data"
        case .warning: "Warning"
        case .critical: "Critical"
        }
    }

    static func statusClass(_ level: HealthStatus.Level) -> String {
        level == .noData ? "no-data" : level.rawValue
    }

    static func percentile(_ value: WeeklyPercentile?) -> String {
        guard let value else { return Format.missing }
        return (value.exact ? "" : "≤ ") + Format.duration(milliseconds: value.value)
    }

    static func percentileNote(_ value: WeeklyPercentile?) -> String? {
        guard let value, !value.exact else { return nil }
        return "Upper bound: the highest hourly value; no whole-week statistic in the data"
    }

    private func functionView(
        _ function: FunctionReport, report: Report, pages: Pages, costs: [String: String], charts plan: ChartPlan
    ) -> FunctionView {
        let current = function.current
        let previous = function.previous
        func signal(_ name: String, _ now: Double?, _ before: Double?, _ format: (Double?) -> String, _ formula: String)
            -> SignalRowView
        {
            SignalRowView(
                signal: name, current: format(now), previous: format(before),
                change: Format.change(from: before, to: now) ?? Format.missing, formula: formula)
        }
        let rows = [
            signal(
                "Invocations", current.invocations, previous?.invocations, Format.count,
                "Sum of AWS/Lambda Invocations (Sum) over the week"),
            signal(
                "Errors", current.errors, previous?.errors, Format.count,
                "Sum of AWS/Lambda Errors (Sum) over the week"),
            SignalRowView(
                signal: "Error rate", current: Format.percent(current.errorRate),
                previous: Format.percent(previous?.errorRate),
                change: Format.pointChange(from: previous?.errorRate, to: current.errorRate) ?? Format.missing,
                formula: "Errors ÷ Invocations × 100; the change is in percentage points"),
            signal(
                "Throttles", current.throttles, previous?.throttles, Format.count,
                "Sum of AWS/Lambda Throttles (Sum) over the week"),
            SignalRowView(
                signal: "Duration p50", current: Self.percentile(current.p50), previous: Self.percentile(previous?.p50),
                change: Format.change(from: previous?.p50?.value, to: current.p50?.value) ?? Format.missing,
                formula: Self.percentileFormula(current.p50, "p50")),
            SignalRowView(
                signal: "Duration p99", current: Self.percentile(current.p99), previous: Self.percentile(previous?.p99),
                change: Format.change(from: previous?.p99?.value, to: current.p99?.value) ?? Format.missing,
                formula: Self.percentileFormula(current.p99, "p99")),
            signal(
                "Peak concurrency", current.peakConcurrency, previous?.peakConcurrency, Format.count,
                "Highest AWS/Lambda ConcurrentExecutions (Maximum) in the week"),
            SignalRowView(
                signal: "Estimated cost",
                current: costs[function.name] ?? Format.missing,
                previous: Format.missing, change: Format.missing,
                formula: "This function's share of the Lambda estimate on the Costs page: " + Self.functionCostFormula),
            signal(
                "Active hours", Double(current.activeHours), previous.map { Double($0.activeHours) }, Format.count,
                "Hours of the week with an Invocations datapoint, of \(report.week?.hours ?? 168)"),
        ]
        // The catalog's other AWS/Lambda signals; those in the table above are left out.
        let shown = [
            "Invocations", "Errors", "Throttles", "Duration p50", "Duration p99", "ConcurrentExecutions Maximum",
        ]
        var catalogRows = function.signals.filter { !shown.contains($0.metric.label) }.map(Self.signalRow)
        if let logs = function.logs {
            let before = function.previousLogs
            let exact = "nearest rank over the week's REPORT lines"
            catalogRows += [
                signal(
                    "Invocations logged", Double(logs.invocations), before.map { Double($0.invocations) }, Format.count,
                    "REPORT lines in the week, one per request id"),
                SignalRowView(
                    signal: "Cold starts",
                    current: "\(Format.count(Double(logs.coldStarts))) (\(Format.percent(logs.coldStartPercent)))",
                    previous: before.map {
                        "\(Format.count(Double($0.coldStarts))) (\(Format.percent($0.coldStartPercent)))"
                    } ?? Format.missing,
                    change: Format.pointChange(from: before?.coldStartPercent, to: logs.coldStartPercent)
                        ?? Format.missing,
                    formula:
                        "REPORT lines with an Init Duration ÷ REPORT lines × 100; the change is in percentage points"),
                signal(
                    "Memory used p99", logs.memoryP99, before?.memoryP99, Format.percent,
                    "Max Memory Used ÷ Memory Size × 100, \(exact)"),
                signal(
                    "Timeouts", Double(logs.timeouts), before.map { Double($0.timeouts) }, Format.count,
                    "REPORT lines with Status: timeout or a Task timed out line"),
            ]
            let percentiles: [(String, String, (LogFigures) -> Double?)] = [
                ("Init duration p50", "Init Duration", { $0.initP50 }),
                ("Init duration p99", "Init Duration", { $0.initP99 }),
                ("Duration p50 (exact)", "Duration", { $0.durationP50 }),
                ("Duration p90 (exact)", "Duration", { $0.durationP90 }),
                ("Duration p99 (exact)", "Duration", { $0.durationP99 }),
            ]
            catalogRows.insert(
                contentsOf: percentiles.map { name, field, value in
                    signal(
                        name, value(logs), before.flatMap(value), Format.duration(milliseconds:), "\(field), \(exact)")
                }, at: catalogRows.count - 2)
        }
        let charts = plan.functionCharts(function)
        let findings = Self.findings(on: function.name, kind: "function", report, pages: pages)
        return FunctionView(
            name: function.name, service: function.service, status: Self.statusText(function.health.level),
            statusClass: Self.statusClass(function.health.level), reasons: function.health.reasons,
            hasReasons: !function.health.reasons.isEmpty,
            passed: function.health.passed.isEmpty ? nil : function.health.passed.joined(separator: ", "),
            unchecked: function.health.unchecked.isEmpty ? nil : function.health.unchecked.joined(separator: ", "),
            timeout: function.timeoutSeconds.map { "\($0) s" },
            serviceHref: "../" + pages.service(function.service),
            weekLabel: report.week?.week.description ?? "",
            previousWeekLabel: report.week?.week.previous.description ?? "",
            hasData: current.invocations != nil, rows: rows, catalogRows: catalogRows,
            hasCatalogRows: !catalogRows.isEmpty, warnings: function.warnings,
            hasWarnings: !function.warnings.isEmpty, charts: charts, hasCharts: !charts.isEmpty,
            findings: findings, hasFindings: !findings.isEmpty,
            sources: function.sources)
    }

    static func percentileFormula(_ value: WeeklyPercentile?, _ stat: String) -> String {
        guard let value else { return "AWS/Lambda Duration (\(stat)): no datapoint this week" }
        return value.exact
            ? "AWS/Lambda Duration (\(stat)) computed by CloudWatch over the whole week"
            : "Highest hourly AWS/Lambda Duration (\(stat)): an upper bound of the weekly \(stat)"
    }

    /// A note sits under an `<h2>`, so its headings start at `<h3>`.
    private func renderMarkdown(_ text: String, file: String, headingOffset: Int = 2) throws(HeadroomError)
        -> TrustedHTML
    {
        do {
            return TrustedHTML(trusted: try Markdown.html(text, headingOffset: headingOffset))
        } catch {
            throw HeadroomError(
                .render, file: file, position: error.line.map { .line($0, column: nil) }, error.message,
                remedy: "shorten or flatten the note")
        }
    }

    /// `Mon 16 Nov – Sun 22 Nov 2026`.
    static func range(of week: ISOWeek) -> String {
        DayLabel.day(week.mondayDays) + " – " + DayLabel.day(week.mondayDays + 6, year: true)
    }
}

/// File-name-safe, unique slugs for resource names. Case is kept, because Lambda names are
/// case-sensitive; a clash on a case-insensitive file system gets a numeric suffix, given in
/// sorted order so that the result is deterministic.
struct Slugs {
    private var slugs: [String: String] = [:]

    init(_ names: [String]) {
        var taken: Set<String> = []
        for name in Set(names).sorted() {
            var slug = Self.slug(name)
            var suffix = 2
            while taken.contains(slug.lowercased()) {
                slug = Self.slug(name) + "-\(suffix)"
                suffix += 1
            }
            taken.insert(slug.lowercased())
            slugs[name] = slug
        }
    }

    subscript(name: String) -> String { slugs[name] ?? Self.slug(name) }

    static func slug(_ name: String) -> String {
        let mapped = name.unicodeScalars.map { scalar -> Character in
            scalar.isASCII && (CharacterSet.alphanumerics.contains(scalar) || scalar == "-" || scalar == "_")
                ? Character(scalar) : "-"
        }
        let slug = String(mapped)
        return slug.isEmpty ? "-" : slug
    }
}
