import Foundation
import HeadroomAnalysis
import HeadroomCharts
import HeadroomModel

extension SiteBuilder {
    /// The files of the whole site besides the weeks' pages, each from its own function. `plan`'s
    /// review week report is whole.
    public func siteFiles(_ plan: Plan) throws(HeadroomError) -> [SiteFile] {
        var files = try weeksIndex(plan) + notFound(plan) + sitemap(plan) + feed(plan)
        files += try reportJSON(plan) + digest(plan) + searchIndex(plan)
        files += theme.assets.map { SiteFile(path: $0.path, contents: Data($0.text.utf8)) }
        return files.sorted { $0.path < $1.path }
    }

    /// `weeks/index.html`: every week side by side (`weeksPage`), for a report with a week.
    func weeksIndex(_ plan: Plan) throws(HeadroomError) -> [SiteFile] {
        let report = plan.reports[plan.review]
        guard report.week != nil else { return [] }
        return [
            try wrap(
                try body("weeks/index.html", template: "pages/weeks", title: "Weeks", view: weeksPage(plan.reports)),
                at: Location(week: report.week?.week, index: plan.review), site: report, weeks: plan.weeks)
        ]
    }

    /// `404.html`. Hosts serve it for a missing path at any depth, so its links start at the site's
    /// path from baseURL (or the host's root without one).
    func notFound(_ plan: Plan) throws(HeadroomError) -> [SiteFile] {
        let report = plan.reports[plan.review]
        let basePath = report.baseURL.flatMap { URL(string: $0)?.path }.map { $0.hasSuffix("/") ? $0 : $0 + "/" } ?? "/"
        return [
            try wrap(
                try body(
                    "404.html", template: "pages/404", title: "Page not found",
                    view: NotFoundView(
                        weekLabel: report.week?.week.description, home: basePath + "index.html",
                        weeks: basePath + "weeks/index.html", hasWeeks: report.week != nil)),
                at: Location(week: report.week?.week, index: plan.review), site: report, weeks: plan.weeks,
                root: basePath)
        ]
    }

    /// `sitemap.xml`, with a base URL: every page but 404.html and those that ask not to be
    /// indexed (the root's pages that send the browser to the week's copy, and the function pages
    /// of pruned weeks): each week's copy, the review week's whole pages at the root, the
    /// single-file review and the list of weeks, each with the end of its week.
    func sitemap(_ plan: Plan) throws(HeadroomError) -> [SiteFile] {
        let report = plan.reports[plan.review]
        guard let base = report.baseURL else { return [] }
        // Where `Plan.locations` writes whole pages, less the pruned function pages.
        var paths = plan.indices.flatMap { index in
            plan.weeks[index].paths.filter { !SiteBuilder.isScript($0) }.flatMap { path in
                plan.locations(index, path: path).filter { !$0.latest && !plan.prunes(index, path: path) }.map {
                    $0.location.folder + path
                }
            }
        }
        if let week = report.week?.week { paths += ["review-\(week).html", "weeks/index.html"] }
        let pages = paths.map { path in
            let week = path.hasPrefix("weeks/2") ? ISOWeek(String(path.dropFirst(6).prefix(8))) : report.week?.week
            let end = plan.reports.first { $0.week?.week == week }?.week?.interval.upperBound
            return (path: path, modified: end)
        }.sorted { $0.path < $1.path }
        return [try file("sitemap.xml", template: "sitemap", view: Feeds.sitemap(pages, base: base))]
    }

    /// `feed.xml`, with a base URL: one Atom entry per week.
    func feed(_ plan: Plan) throws(HeadroomError) -> [SiteFile] {
        let report = plan.reports[plan.review]
        guard let base = report.baseURL else { return [] }
        let entries = plan.reports.indices.map { index in
            (report: plan.reports[index], summary: Self.summary(plan.reports[index]))
        }
        return [try file("feed.xml", template: "feed", view: Feeds.atom(entries, title: report.title, base: base))]
    }

    /// `report.json`: the review week for machines.
    func reportJSON(_ plan: Plan) throws(HeadroomError) -> [SiteFile] {
        [
            SiteFile(
                path: "report.json",
                contents: try ReportJSON(
                    plan.reports[plan.review], generator: generator
                )
                .data())
        ]
    }

    /// `summary.md` and `slack.json`: the week in brief, for a report with a week.
    func digest(_ plan: Plan) throws(HeadroomError) -> [SiteFile] {
        let report = plan.reports[plan.review]
        guard let week = report.week else { return [] }
        let digest = DigestView(report, week: week, generator: generator)
        return [
            try file("summary.md", template: "summary", view: digest),
            SiteFile(path: "slack.json", contents: SlackMessage(digest).data()),
        ]
    }

    /// `search-index.js`: the review week's services, functions, resources, SLOs, quotas and notes.
    func searchIndex(_ plan: Plan) throws(HeadroomError) -> [SiteFile] {
        let report = plan.reports[plan.review]
        return [
            SiteFile(path: "search-index.js", contents: Data(SearchIndex.script(report, pages: Pages(report)).utf8))
        ]
    }

    /// A file of the site from a template of its own (not a page in the layout).
    func file<View: Codable>(_ path: String, template: String, view: View) throws(HeadroomError) -> SiteFile {
        guard let text = library.render(TemplateContext.make(view), withTemplate: template) else {
            throw HeadroomError(.render, file: path, "the \(template) template is missing")
        }
        return SiteFile(path: path, contents: Data(text.utf8))
    }

    /// Every week side by side, newest first: the overview's tiles as columns.
    func weeksPage(_ reports: [Report]) -> WeeksPageView {
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

    /// `review-<week>.html`: the overview and the cost and limit charts in one file, its stylesheet
    /// inline under a hashed Content-Security-Policy, no script. Links lead to the week's frozen
    /// pages on the site when baseURL is set, and are dropped otherwise.
    func review(_ report: Report, week: ISOWeek, overview: Body) throws(HeadroomError) -> SiteFile {
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

    /// A week in one paragraph, for the feed: the headline figures and the three largest changes.
    static func summary(_ report: Report) -> String {
        let figures = tiles(report, pages: Pages(report)).map {
            "\($0.label) \($0.value)" + ($0.change.map { " (\($0))" } ?? "")
        }
        let changes = report.changes.prefix(3).map(\.text)
        return figures.joined(separator: "; ") + "."
            + (changes.isEmpty ? "" : " What changed: " + changes.joined(separator: "; ") + ".")
    }
}
