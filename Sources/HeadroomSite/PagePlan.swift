import Foundation
import HeadroomAnalysis
import HeadroomCharts
import HeadroomModel

/// What one week's pages are made from: its report, the week's links and its charts.
struct WeekInput {
    let report: Report
    let links: SiteBuilder.Pages
    let charts: ChartPlan
    /// The SLO table's rows, on the overview and on the Error budgets page.
    let sloRows: [SLOView]
    /// The week, as pages name it; nil in a project with no data yet.
    var weekLabel: String? { report.week?.week.description }

    init(_ report: Report) {
        self.report = report
        let links = SiteBuilder.Pages(report)
        let charts = ChartPlan(report)
        self.links = links
        self.charts = charts
        sloRows = report.slos.map {
            SiteBuilder.sloView($0, zone: charts.zone, href: links.slo($0.name), charts: [])
        }
    }
}

/// One page of a week: its path in the week's folder, its title and its view.
struct PlannedPage<View: Codable> {
    var path: String
    var title: String
    var view: View
}

/// A kind of page of a week (in its own file): its template, the view model the template is
/// checked against, where the week's pages of the kind go, and their views.
protocol PageKind {
    associatedtype View: Codable
    static var template: String { get }
    /// The week's pages of this kind, relative to the week's folder, without making their views.
    static func paths(_ report: Report, links: SiteBuilder.Pages) -> [String]
    /// The week's pages of this kind, in the order of `paths`.
    static func pages(_ week: WeekInput, site: SiteBuilder) throws(HeadroomError) -> [PlannedPage<View>]
}

extension SiteBuilder {
    /// The kinds of page every week has, in the order they are planned and written.
    static var weekPageKinds: [any PageKind.Type] {
        [
            OverviewPage.self, SourcesPage.self, CostsPage.self, SLOIndexPage.self, LimitsPage.self, FunctionPage.self,
            SLOPage.self, ResourcePage.self, ServicePage.self, ServiceRowsFile.self, ChecksPage.self, RulePage.self,
            ErrorsPage.self,
            ErrorGroupPage.self, TracesPage.self, TracePage.self, NotesPage.self,
        ]
    }

    /// The paths of one week's pages, relative to the week's folder: those `bodies` renders.
    public static func pagePaths(_ report: Report) -> [String] {
        let links = Pages(report)
        return weekPageKinds.flatMap { $0.paths(report, links: links) }
    }

    /// One week's pages, each relative to the week's folder; without the function pages for a
    /// pruned week.
    func bodies(_ report: Report, functionPages: Bool = true) throws(HeadroomError) -> [Body] {
        let week = WeekInput(report)
        var bodies: [Body] = []
        for kind in Self.weekPageKinds
        where functionPages || ObjectIdentifier(kind) != ObjectIdentifier(FunctionPage.self) {
            bodies += try render(kind, week)
        }
        return bodies
    }

    /// A kind's pages of the week, on every core (a week of 1,000 functions has 1,000 pages to
    /// render, and a new week is most often the only one a build renders).
    private func render<Kind: PageKind>(_ kind: Kind.Type, _ week: WeekInput) throws(HeadroomError) -> [Body] {
        try Kind.pages(week, site: self).concurrentMapOfValues { page throws(HeadroomError) in
            try body(page.path, template: Kind.template, title: page.title, view: page.view)
        }
    }

    /// Checks a kind's template against its view model.
    static func check<Kind: PageKind>(_ kind: Kind.Type, with checker: TemplateChecker) throws(HeadroomError) {
        try checker.check(Kind.template, against: Shape.of(Kind.View.self))
    }
}
