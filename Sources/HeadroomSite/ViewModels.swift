import HeadroomAnalysis
import HeadroomModel

/// Typed view models, one per template. They are `Decodable` only so that their shape can be
/// derived from the type (see `Shape`); they are never decoded from data. Every value a template
/// prints is already formatted text.

struct LayoutView: Codable {
    var siteTitle: String
    var pageTitle: String
    /// Relative path from the page to the site root: "", "../", "../../../" and so on.
    var root: String
    /// The overview of the page's own week.
    var home: String
    var week: WeekNavView?
    /// The site's sections, for the navigation bar.
    var nav: [NavItemView]
    /// The page loads the search index and script (not the stand-alone gallery).
    var hasSearch: Bool
    /// In a project with no data yet, on every page: what to run, in the words `init` used.
    var nextStep: NextStepView?
    var generator: String
    var content: TrustedHTML
}

struct NextStepView: Codable {
    var command = NextStep.command
    var purpose = NextStep.purpose
}

/// Which week a page shows, and the way to the weeks around it.
struct WeekNavView: Codable {
    var label: String
    /// `Mon 16 Nov – Sun 22 Nov 2026`.
    var range: String
    /// The same page in the week before, or that week's overview. There is no link to the week
    /// after: a week's archived pages are published once and never change (`weeks/index.html`
    /// lists the later weeks).
    var previous: WeekLinkView?
    /// The page is the frozen copy under `weeks/<week>/`.
    var archived: Bool
    /// On an archived page: the same page of the review week, at the site root. Its label is
    /// empty: an archived page does not name the latest week, so that adding a week leaves it as
    /// it is.
    var latest: WeekLinkView?
}

struct WeekLinkView: Codable {
    var label: String
    var href: String
}

struct NavItemView: Codable {
    var label: String
    /// From the page.
    var href: String
    /// This page is the section's page.
    var current: Bool
    /// This page is a detail page of the section (an SLO of the error budgets, say).
    var inSection: Bool
}

struct CostsPageView: Codable {
    var weekLabel: String?
    var cost: CostView?
    var lambdaEstimate: EstimateView?
    /// The monthly trend, oldest first.
    var months: [CostMonthView]
    var hasMonths: Bool
}

struct CostMonthView: Codable {
    var month: String
    var amount: String
    /// "monthly records", "monthly records, 1–22 Nov", "daily records, 12 of 30 days".
    var basis: String
    var estimated: Bool
}

struct LimitsPageView: Codable {
    var weekLabel: String?
    var quotas: [QuotaView]
    var hasQuotas: Bool
    var quotaBullets: ChartView?
    var quotaTrends: [ChartView]
}

struct OverviewView: Codable {
    var siteTitle: String
    var hasData: Bool
    var weekLabel: String?
    var weekRange: String
    var timeZone: String
    /// The worst of the week's parts, nil without data.
    var verdict: VerdictView?
    /// The week at a glance, each with its change and how it is computed.
    var tiles: [TileView]
    /// What changed this week, most important first (at most 12).
    var changes: [ChangeView]
    var hasChanges: Bool
    /// "and 4 more notices", when the list is cut.
    var moreChanges: String?
    /// The changes past the first 12, listed under `moreChanges` in a closed `<details>`.
    var otherChanges: [ChangeView]
    var services: [ServiceSectionView]
    var paths: [PathView]
    var hasPaths: Bool
    var warnings: [String]
    var hasWarnings: Bool
    var note: NoteView?
    var actions: [ActionView]
    var hasActions: Bool
    var cost: CostView?
    var slos: [SLOView]
    var hasSLOs: Bool
    /// The five most used.
    var quotas: [QuotaView]
    var hasQuotas: Bool
    var sources: SourcesView
    /// "This week rests on …": which kinds of source covered the week, fully or partly, and which not.
    var coverage: String?
}

/// The week's review as one self-contained file: the overview, then the cost and limit charts.
struct ReviewView: Codable {
    var siteTitle: String
    var weekLabel: String
    var range: String
    /// The week's permalink on the site, when baseURL is set.
    var siteURL: String?
    /// The stylesheet, inline, and its hash for the Content-Security-Policy.
    var css: TrustedHTML
    /// `'sha256-…'`: base64 and quotes only.
    var styleSource: TrustedHTML
    var generator: String
    var content: TrustedHTML
    var charts: [ChartView]
    var hasCharts: Bool
}

/// The page a host serves for a missing path; its links are absolute paths.
/// A page of the review week at the site root that is only at `weeks/<week>/`: it sends the
/// browser there, so the week is written once and the address keeps showing the latest week.
struct LatestView: Codable {
    var siteTitle: String
    var pageTitle: String
    var weekLabel: String
    /// The page in the week's folder, relative to this page.
    var href: String
    var root: String
    var generator: String
}

/// A function page of a week beyond `archive.functionPageWeeks`: what the site keeps, and links
/// to what remains of the function that week and to its page in the latest week.
struct PrunedView: Codable {
    var siteTitle: String
    var name: String
    var weekLabel: String
    /// `archive.functionPageWeeks` as words: "6 weeks".
    var weeks: String
    var service: String
    var serviceHref: String
    var overviewHref: String
    var latestHref: String
    var root: String
    var generator: String
}

struct NotFoundView: Codable {
    var weekLabel: String?
    var home: String
    var weeks: String
    var hasWeeks: Bool
}

struct ChangeView: Codable {
    /// critical, warning or notice.
    var impact: String
    var area: String
    var text: String
    var href: String
}

struct TileView: Codable {
    var label: String
    var value: String
    /// Against the week before, e.g. "+8.3%"; nil when there is nothing to compare.
    var change: String?
    /// `worse`, `better` or `neutral`, for the stylesheet.
    var changeClass: String
    /// What the value is of, e.g. "of 25 functions" or the SLO's name.
    var note: String
    var href: String
    /// The figure's status (`critical`, `warning`, `ok`, `no-data`) and its word, nil where the
    /// figure is not judged (traffic, errors overall).
    var status: String?
    var statusText: String?
    var formula: String

    init(
        label: String, value: String, change: String?, changeClass: String, note: String, href: String,
        level: HealthStatus.Level? = nil, formula: String
    ) {
        self.label = label
        self.value = value
        self.change = change
        self.changeClass = changeClass
        self.note = note
        self.href = href
        self.status = level.map(SiteBuilder.statusClass)
        self.statusText = level.map(SiteBuilder.statusText)
        self.formula = formula
    }
}

/// Whether the week was good or bad, above the tiles.
struct VerdictView: Codable {
    var title: String
    var statusClass: String
    var reasons: String?
}

struct QuotaView: Codable {
    var name: String
    var service: String
    var limit: String
    var peak: String
    var p95: String
    var utilisation: String
    var statusClass: String
    var projection: String
    var adjustable: String
    var detail: String
}

struct SLOView: Codable {
    var name: String
    /// Its page, from the site root.
    var href: String
    /// Burn-down, burn rate and weekly attainment.
    var charts: [ChartView]
    var service: String
    var objective: String
    var window: String
    /// When the budget runs out at this week's burn.
    var exhaustion: String
    var attainment: String
    var remaining: String
    /// `ok`, `warning`, `critical` or `no-data`, for the stylesheet.
    var statusClass: String
    var burnRate: String
    var budgetNote: String?
    /// Each burn-rate alert, with its windows and whether it would have fired this week and why.
    var alerts: [BurnAlertView]
    /// Why no alert was evaluated (no data, not computed), when none was.
    var alertsMissing: String?
    /// Each week: met, missed or no data, e.g. "W45 missed (99.21%)".
    var weekly: String
    var formula: String
}

struct BurnAlertView: Codable {
    /// `page` or `ticket`.
    var severity: String
    /// The burn rate it fires at, e.g. "14.4×".
    var threshold: String
    var longWindow: String
    var shortWindow: String
    /// The highest burn rate both windows reached together this week, and when.
    var highest: String
    /// "fired: 2 episodes, first Mon 16 Nov 10:00" or "did not fire".
    var outcome: String
    /// `critical` (a page fired), `warning` (a ticket fired) or `ok`, for the stylesheet.
    var statusClass: String
}

struct SLOIndexView: Codable {
    var weekLabel: String?
    var slos: [SLOView]
    var hasSLOs: Bool
}

struct SLOPageView: Codable {
    var weekLabel: String?
    var slo: SLOView
}

struct BreakdownView: Codable {
    var title: String
    var rows: [CostRowView]
    /// "and 12 more" when the table shows only the largest rows.
    var more: String?
}

struct EstimateView: Codable {
    var total: String
    var priceVersion: String
    var priceSource: String
    var rows: [EstimateRowView]
    var reconciliation: String?
    var missing: String?
    /// Each function's share of the estimate, most expensive first: the `costRows` costliest.
    var costs: [FunctionCostView]
    var hasCosts: Bool
    /// When functions were left out of `costs`: how many, and the service pages that list them.
    var costsCut: String?
    var costServices: [PageLinkView]
    /// How a function's share is computed.
    var costFormula: String
}

struct FunctionCostView: Codable {
    var name: String
    /// From the page that shows the table.
    var href: String
    var service: String
    var architecture: String
    var requests: String
    var gbSeconds: String
    var cost: String
    /// Of the estimate before the free tier.
    var share: String
}

/// A team service: its functions and resources with health, their cost, and its SLOs.
struct ServicePageView: Codable {
    var weekLabel: String
    var section: ServiceSectionView
    /// When the service's functions are split over several pages.
    var pageNav: PageNavView?
    var status: String
    var statusClass: String
    var costs: [FunctionCostView]
    var hasCosts: Bool
    var costTotal: String
    /// On a split service: which functions the cost table holds.
    var costScope: String
    var costFormula: String
    var slos: [SLOView]
    var hasSLOs: Bool
    var paths: [PathView]
    var hasPaths: Bool
    /// The service's part of X-Ray's service map, on the first page.
    var traceMap: ChartView?
}

/// The week's notes and every action item still open.
struct NotesPageView: Codable {
    var weekLabel: String?
    var weekRange: String?
    var note: NoteView?
    var actions: [ActionView]
    var hasActions: Bool
    /// The note file this week would have, for the empty state.
    var expected: String
}

struct ActionView: Codable {
    var title: String
    var owner: String?
    var due: String?
    var done: Bool
    var overdue: Bool
    /// "since 2026-W45" for an item carried over from an earlier note.
    var carried: String?
}

struct WeekCellView: Codable {
    var value: String
    var change: String?
    var changeClass: String
    /// What the value is of: the function, objective or quota.
    var subject: String?
    /// What the value is of, and how it is computed.
    var title: String
}

/// Every week of the site, newest first, with the headline figures side by side.
struct WeeksPageView: Codable {
    var columns: [String]
    var weeks: [WeekRowView]
    var hasWeeks: Bool
}

struct WeekRowView: Codable {
    var label: String
    var href: String
    var range: String
    var cells: [WeekCellView]
    var notes: String?
    var incidents: String?
}

struct EstimateRowView: Codable {
    var item: String
    var usage: String
    var cost: String
}

struct CostView: Codable {
    var breakdowns: [BreakdownView]
    /// "AWS Lambda −63.10 USD (−46.1%)", largest first.
    var moversByAmount: String
    var moversByPercent: String
    var metric: String
    var total: String
    var previousTotal: String
    var change: String
    var changePercent: String
    var days: String
    var estimated: Bool
    var month: String
    var monthToDate: String
    var monthForecast: String
    var lambdaPerMillion: String
    var perMillionSuccessful: String
    /// "Budget …: the forecast is …% of it", when a budget is set.
    var budget: String?
    var budgetClass: String
    var spikes: [SpikeView]
    var hasSpikes: Bool
    var services: [CostRowView]
    /// The seven-week trend and the movers.
    var charts: [ChartView]
}

struct SpikeView: Codable {
    var service: String
    var day: String
    var amount: String
    var baseline: String
}

struct CostRowView: Codable {
    var name: String
    var current: String
    var previous: String
    var change: String
    var changePercent: String
}

struct ServiceSectionView: Codable {
    var name: String
    var anchor: String
    /// The service's page.
    var href: String
    var description: String?
    var functions: [FunctionRowView]
    var hasFunctions: Bool
    /// On the overview, when the service has more functions than it shows.
    var functionsCut: ListCutView?
    var totals: FunctionRowView
    var resources: [ResourceRowView]
    var hasResources: Bool
    /// False on the overview when every resource is OK: the line under it says so.
    var hasResourceRows: Bool
    var resourcesCut: ListCutView?
    /// Why each function and resource shown is not OK, as text under the tables: the status
    /// badge's tooltip reaches no touch screen, shared screen or paper.
    var reasons: [StatusReasonView]
    var hasReasons: Bool
    /// On each page of a service split over pages: its rows file (`ServiceRowsFile`) and how many
    /// rows it has, for sorting and filtering the whole list.
    var allRows: AllRowsView? = nil
    /// On a service's page (not the overview's cut lists): its table gets a filter box.
    var filterable = false
}

struct AllRowsView: Codable {
    var file: String
    var count: Int
}

/// `ServiceRowsFile`: the key (the file's path in its week) and the rows, each as a JavaScript
/// string literal (`SearchIndex.quote`) of HTML rendered by the row's template.
struct RowsFileView: Codable {
    var key: TrustedHTML
    var rows: TrustedHTML
}

struct StatusReasonView: Codable {
    var name: String
    var href: String
    var reasons: String
}

/// What a capped list leaves out, and where the whole list is.
struct ListCutView: Codable {
    var text: String
    var href: String
    var linkText: String
}

/// The pages of a list split over several pages, and which rows this one shows.
struct PageNavView: Codable {
    /// `Functions 101–200 of 1,000`.
    var label: String
    var pages: [PageLinkView]
}

struct PageLinkView: Codable {
    var label: String
    /// Relative to the page's folder.
    var href: String
    var current: Bool
}

struct ResourceRowView: Codable {
    var name: String
    var href: String
    var kind: String
    var status: String
    var statusClass: String
    var statusReasons: String
    /// Values, with the catalog metric each comes from (shown as a tooltip).
    var volume: String
    var volumeMetric: String
    var errors: String
    var errorsMetric: String
    var latency: String
    var latencyMetric: String
}

struct PathView: Codable {
    var name: String
    var description: String?
    var status: String
    var statusClass: String
    var steps: [PathStepView]
    var reasons: [String]
    var hasReasons: Bool
}

struct PathStepView: Codable {
    var name: String
    var kind: String
    var href: String?
    var status: String
    var statusClass: String
    var statusReasons: String
}

struct ResourceView: Codable {
    var name: String
    var kind: String
    var namespace: String
    var service: String
    var serviceHref: String
    var status: String
    var statusClass: String
    var reasons: [String]
    var hasReasons: Bool
    var weekLabel: String
    var previousWeekLabel: String
    var rows: [SignalRowView]
    var charts: [ChartView]
    var hasCharts: Bool
    /// The week's findings on this resource, with a link to each on the Checks page.
    var findings: [PageFindingView]
    var hasFindings: Bool
    var sources: [String]
}

struct FunctionRowView: Codable {
    var name: String
    var href: String
    var status: String
    /// `ok`, `no-data`, `warning` or `critical`, for the stylesheet.
    var statusClass: String
    /// The rules that set the status, joined, for a tooltip.
    var statusReasons: String
    var invocations: String
    var errors: String
    var errorRate: String
    var p99: String
    /// Why the p99 is marked, e.g. "upper bound: highest hourly p99".
    var p99Note: String?
    var hasWarnings: Bool
    /// The week's invocations as a word-sized line.
    var sparkline: TrustedHTML?
}

struct NoteView: Codable {
    var week: String
    var title: String
    var authors: String?
    var html: TrustedHTML
    var source: String
}

struct SourcesView: Codable {
    var read: Int
    /// nil when zero, so that the template can leave the clause out.
    var invalid: Int?
    /// Files not read because their extension is not an input format; nil when none.
    var ignored: Int?
    var series: Int
}

struct FunctionView: Codable {
    var name: String
    var service: String
    var status: String
    var statusClass: String
    var reasons: [String]
    var hasReasons: Bool
    /// "no throttles, p99 at 4% of the timeout": the rules checked that passed.
    var passed: String?
    /// The rules not checked for lack of data.
    var unchecked: String?
    var timeout: String?
    var serviceHref: String
    var weekLabel: String
    var previousWeekLabel: String
    var hasData: Bool
    var rows: [SignalRowView]
    /// Further AWS/Lambda catalog signals (iterator age, dropped events, …) found in the data.
    var catalogRows: [SignalRowView]
    var hasCatalogRows: Bool
    var warnings: [String]
    var hasWarnings: Bool
    var charts: [ChartView]
    var hasCharts: Bool
    /// The week's findings on this resource, with a link to each on the Checks page.
    var findings: [PageFindingView]
    var hasFindings: Bool
    /// The error groups open on the function this week, with a link to each group's page.
    var errors: [PageErrorView]
    var hasErrors: Bool
    /// When more groups hit the function than the page lists.
    var errorsMore: String?
    var sources: [String]
}

struct SignalRowView: Codable {
    var signal: String
    var current: String
    var previous: String
    var change: String
    var formula: String
}

struct GalleryView: Codable {
    var specimens: [GallerySpecimenView]
}

struct GallerySpecimenView: Codable {
    var name: String
    var heading: String
    var chart: ChartView
}

struct SourcesPageView: Codable {
    var files: [SourceRowView]
    var hasFiles: Bool
    var totals: SourcesView
    /// The weeks of the coverage table, oldest first, the report's week last.
    var coverageWeeks: [String]
    var coverageRows: [CoverageRowView]
    var hasCoverage: Bool
    /// Why the report's week is partly covered, file by file.
    var coverageReasons: [String]
    var hasCoverageReasons: Bool
}

/// One kind of source across the weeks.
struct CoverageRowView: Codable {
    var kind: String
    var cells: [CoverageCellView]
    /// A namespace under Metrics, shown indented below it.
    var part: Bool = false
}

struct CoverageCellView: Codable {
    /// complete, partial or absent.
    var level: String
    var text: String
}

struct SourceRowView: Codable {
    var path: String
    var format: String
    var status: String
    var series: String
    var points: String
    var records: String
    var warnings: [String]
    var hasWarnings: Bool
}

/// Findings of the week by life-cycle state, each state's findings grouped by rule.
struct ChecksPageView: Codable {
    var weekLabel: String?
    var summary: String
    var hasFindings: Bool
    /// Some source covered the week: without one, no finding is not an all-clear.
    var checked: Bool
    /// What the week's figures rest on, and what no file covered.
    var coverage: String?
    var severities: [String]
    var pillars: [PillarRowView]
    var states: [FindingStateView]
}

struct PillarRowView: Codable {
    var pillar: String
    var counts: [String]
    var total: String
}

struct FindingStateView: Codable {
    var title: String
    var anchor: String
    var intro: String
    var rules: [RuleGroupView]
}

struct RuleGroupView: Codable {
    var anchor: String
    var ruleId: String
    var title: String
    var severity: String
    var pillar: String
    var origin: String
    var rationale: TrustedHTML?
    var remediation: TrustedHTML?
    var references: [String]
    var items: [FindingItemView]
    var count: String
    /// On the Checks page, when the rule has more resources than it lists there.
    var cut: ListCutView?
    /// On the Checks page, for findings that are not new this week (still open, muted, not
    /// checked, resolved): the resources fold under this line ("13 resources: a, b, c and 10 more").
    var folded: String? = nil
}

/// A rule's own page, for a rule with more findings than the Checks page lists.
struct RulePageView: Codable {
    var weekLabel: String?
    /// The state's title on the Checks page, and its anchor there.
    var state: String
    var stateAnchor: String
    var rule: RuleGroupView
    var pageNav: PageNavView?
}

struct FindingItemView: Codable {
    var resource: String
    var kind: String
    var href: String?
    var evidence: String
    /// `since 2026-W41, 7 weeks` and the weeks.
    var history: String
    var mute: String?
    var owner: String?
    /// "Acknowledged by … : note".
    var acknowledged: String?
}

struct PageFindingView: Codable {
    var severity: String
    var title: String
    var evidence: String
    /// new, recurring, regressed or muted.
    var state: String
    var href: String
}
