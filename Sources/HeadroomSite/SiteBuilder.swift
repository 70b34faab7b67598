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
///
/// The files: the week's page plan (`PagePlan.swift`: a kind of page per file, such as
/// `FunctionPage.swift`), each page in the layout (`Layout.swift`) with links from `Links.swift`;
/// and the site's other files, each from its own function (`SiteFiles.swift`).
public struct SiteBuilder: Sendable {
    public let theme: Theme
    public let generator: String
    let library: MustacheLibrary

    /// Loads and checks every template against its view model, before any page is rendered.
    public init(theme: Theme, generator: String) throws(HeadroomError) {
        self.theme = theme
        self.generator = generator
        self.library = try theme.library()
        let checker = TemplateChecker(templates: theme.templates)
        try checker.check("layout", against: Shape.of(LayoutView.self))
        for kind in Self.weekPageKinds { try Self.check(kind, with: checker) }
        try checker.check("pages/gallery", against: Shape.of(GalleryView.self))
        try checker.check("pages/weeks", against: Shape.of(WeeksPageView.self))
        try checker.check("pages/404", against: Shape.of(NotFoundView.self))
        try checker.check("review", against: Shape.of(ReviewView.self))
        try checker.check("latest", against: Shape.of(LatestView.self))
        try checker.check("pruned", against: Shape.of(PrunedView.self))
        try checker.check("sitemap", against: Shape.of(SitemapView.self))
        try checker.check("feed", against: Shape.of(FeedView.self))
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

    /// The site: every week under `weeks/<ISO week>/`, and `report`'s week at the root too
    /// (`Plan.locations`): `archive` holds the earlier weeks' reports, oldest first. `kept` names
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
    /// with its pages, and which weeks keep their function pages. Earlier weeks' reports may be
    /// slim.
    public struct Plan: Sendable {
        let reports: [Report]
        let weeks: [WeekPages]
        /// `archive.functionPageWeeks`: weeks, the review week included, that keep their function
        /// pages; 0 keeps every week's.
        let functionPageWeeks: Int
        /// The index of the review week.
        public var review: Int { reports.count - 1 }
        public var indices: Range<Int> { reports.indices }

        /// Where week `index`'s page at `path` (relative to the week's folder) is written: in the
        /// week's folder, and for the review week at the root too. The week is written once: at
        /// the root, its overview and section pages (`index.html`, `costs.html`, …) are whole pages,
        /// and the pages in folders (functions, resources, services, objectives, rules) are `latest`
        /// pages that send the browser to the week's copy, so their addresses keep showing the
        /// latest week. A report without a week has whole pages at the root only.
        func locations(_ index: Int, path: String) -> [(location: Location, latest: Bool)] {
            let week = weeks[index].week
            var locations: [(location: Location, latest: Bool)] = []
            if index == review, week == nil || !SiteBuilder.isScript(path) {
                locations.append((Location(week: week, index: index), week != nil && path.contains("/")))
            }
            if week != nil { locations.append((Location(week: week, archived: true, index: index), false)) }
            return locations
        }

        /// The plan as text for review and goldens, a line per page of every week: where it is
        /// written, then its template, `latest` or `pruned`.
        public var outline: String {
            var lines: [String] = []
            for index in indices {
                let links = Pages(reports[index])
                for kind in SiteBuilder.weekPageKinds {
                    for path in kind.paths(reports[index], links: links) {
                        for (location, latest) in locations(index, path: path) {
                            lines.append(
                                location.folder + path + " "
                                    + (latest ? "latest" : prunes(index, path: path) ? "pruned" : kind.template))
                        }
                    }
                }
            }
            return lines.sorted().joined(separator: "\n") + "\n"
        }

        /// Whether week `index`'s function pages are only pages that say what was kept: it is
        /// `functionPageWeeks` or more calendar weeks before the review week.
        public func pruned(_ index: Int) -> Bool {
            guard functionPageWeeks > 0, let week = weeks[index].week, let review = weeks[review].week else {
                return false
            }
            return (review.mondayDays - week.mondayDays) / 7 >= Int64(functionPageWeeks)
        }

        /// Whether week `index`'s page at `path` is a pruned function page (`pruned`).
        func prunes(_ index: Int, path: String) -> Bool { path.hasPrefix("functions/") && pruned(index) }

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
        return Plan(
            reports: reports,
            weeks: reports.map { WeekPages(week: $0.week?.week, paths: Set(Self.pagePaths($0))) },
            functionPageWeeks: functionPageWeeks)
    }

    /// Week `index`'s archived pages, kept from the output as they are; the function pages of a
    /// pruned week are kept too when they were pruned in the output already (`prunedKept`), else
    /// made from its (slim) report.
    public func kept(week index: Int, plan: Plan, prunedKept: Bool = false) throws(HeadroomError) -> [SiteFile] {
        guard let week = plan.weeks[index].week else { return [] }
        let remade = plan.pruned(index) && !prunedKept
        return try plan.weeks[index].paths.sorted().filter { !remade || !plan.prunes(index, path: $0) }.map {
            .kept("weeks/\(week)/" + $0)
        } + (remade ? prunedPages(week: index, plan: plan) : [])
    }

    /// Week `index`'s pages as the history store sealed them (`pages`, relative to the week's
    /// folder), for a week whose points it no longer has; when the week is pruned now and was not
    /// then (`prunedThen`), its function pages are made again as pruned ones.
    public func sealed(
        week index: Int, plan: Plan, pages: [(path: String, contents: Data)], prunedThen: Bool
    ) throws(HeadroomError) -> [SiteFile] {
        guard let week = plan.weeks[index].week else { return [] }
        let remade = plan.pruned(index) && !prunedThen
        return pages.filter { !remade || !plan.prunes(index, path: $0.path) }.map {
            SiteFile(path: "weeks/\(week)/" + $0.path, contents: $0.contents)
        } + (remade ? try prunedPages(week: index, plan: plan) : [])
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
            return try file("weeks/\(week)/" + path, template: "pruned", view: view)
        }
    }

    /// Week `index`'s pages, from its whole report, where `Plan.locations` puts them, and for the
    /// review week the single-file review.
    public func pages(week index: Int, report: Report, plan: Plan) throws(HeadroomError) -> [SiteFile] {
        let pruned = plan.pruned(index)
        let pages = try bodies(report, functionPages: !pruned)
        let site = plan.reports[plan.review]
        // Each page in the layout, on every core (the layout is a tenth of rendering).
        var files = try pages.concurrentMapOfValues { body throws(HeadroomError) -> [SiteFile] in
            try plan.locations(index, path: body.path).map { (location, latest) throws(HeadroomError) in
                if Self.isScript(body.path) {
                    return SiteFile(path: location.folder + body.path, contents: Data(body.html.utf8))
                }
                return try latest
                    ? self.latest(body, week: location.week!, siteTitle: site.title)
                    : wrap(body, at: location, site: site, weeks: plan.weeks)
            }
        }.flatMap { $0 }
        if index == plan.review, let week = report.week?.week,
            let overview = pages.first(where: { $0.path == "index.html" })
        {
            files.append(try review(report, week: week, overview: overview))
        }
        return files + (pruned ? try prunedPages(week: index, plan: plan) : [])
    }
}
