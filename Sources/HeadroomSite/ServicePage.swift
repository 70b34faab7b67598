import Foundation
import HeadroomAnalysis
import HeadroomCharts
import HeadroomModel

/// `services/<name>.html`, then `.page<n>.html`: a service's functions, `serviceRows` to a page.
struct ServicePage: PageKind {
    static let template = "pages/service"
    static func paths(_ report: Report, links: SiteBuilder.Pages) -> [String] {
        report.services.flatMap { service in
            (1...SiteBuilder.pageCount(service)).map { links.service(service.name, page: $0) }
        }
    }
    static func pages(_ week: WeekInput, site: SiteBuilder) throws(HeadroomError) -> [PlannedPage<ServicePageView>] {
        week.report.services.flatMap { service in
            (1...SiteBuilder.pageCount(service)).map { page in
                PlannedPage(
                    path: week.links.service(service.name, page: page),
                    title: service.name + (page == 1 ? "" : ", page \(page)"),
                    view: site.serviceView(
                        service, page: page, report: week.report, pages: week.links, charts: week.charts))
            }
        }
    }
}

/// `services/<name>.rows.js`, for a service whose functions are split over pages: every row of
/// its table, as the pages render them, so that `assets/sort.js` sorts and filters the whole list
/// on any of its pages (a script, not JSON, because pages opened from file:// may not fetch
/// files; loaded only when a reader sorts or filters).
struct ServiceRowsFile: PageKind {
    static let template = "rows"
    static func paths(_ report: Report, links: SiteBuilder.Pages) -> [String] {
        report.services.filter { SiteBuilder.pageCount($0) > 1 }.map { links.serviceRows($0.name) }
    }
    static func pages(_ week: WeekInput, site: SiteBuilder) throws(HeadroomError) -> [PlannedPage<RowsFileView>] {
        try week.report.services.filter { SiteBuilder.pageCount($0) > 1 }.map { service throws(HeadroomError) in
            let rows = try service.functions.map { function throws(HeadroomError) in
                try site.fragment(
                    "partials/function-row",
                    view: site.row(
                        function, href: "../" + week.links.function(function.name),
                        sparkline: week.charts.sparkline(function)))
            }
            return PlannedPage(
                path: week.links.serviceRows(service.name), title: service.name,
                view: RowsFileView(
                    key: TrustedHTML(trusted: SearchIndex.quote(week.links.serviceRows(service.name))),
                    rows: TrustedHTML(trusted: "[\n" + rows.map(SearchIndex.quote).joined(separator: ",\n") + "\n]")))
        }
    }
}

extension SiteBuilder {
    /// Whether `path` is a week's script (`ServiceRowsFile`) rather than a page: written as it is,
    /// in the week's folder only, and in no sitemap.
    static func isScript(_ path: String) -> Bool { path.hasSuffix(".js") }

    /// The most function rows on one page of a service; a longer list is split into pages
    /// (`services/<slug>.html`, then `services/<slug>.page2.html` and so on).
    static let serviceRows = 100

    /// The number of pages of `service`'s page.
    static func pageCount(_ service: ServiceReport) -> Int {
        max(1, (service.functions.count + serviceRows - 1) / serviceRows)
    }

    /// The team service's page (`page` of `pageCount`): its functions (a page's share of them) and,
    /// on the first page, its resources, their estimated cost, its SLOs and critical paths.
    func serviceView(
        _ service: ServiceReport, page: Int, report: Report, pages: Pages, charts: ChartPlan
    ) -> ServicePageView {
        let count = Self.pageCount(service)
        let rows = (page - 1) * Self.serviceRows..<min(service.functions.count, page * Self.serviceRows)
        let first = page == 1
        let rowsFile = count > 1 ? String(pages.serviceRows(service.name).dropFirst("services/".count)) : nil
        let navigation = Self.pageNav(
            "Functions", rows: rows, of: service.functions.count, page: page, count: count,
            file: { String(pages.service(service.name, page: $0).dropFirst("services/".count)) })
        let names = Set(service.functions.map(\.name))
        // The estimates of this page's functions: a split service's table is split with its list.
        let onPage = Set(service.functions[rows].map(\.name))
        let costs =
            report.lambdaEstimate.map { Self.functionCosts($0, report: report, pages: pages, prefix: "../") }?
            .filter { onPage.contains($0.name) } ?? []
        let levels = service.functions.map(\.health.level) + service.resources.map(\.health.level)
        let worst = [HealthStatus.Level.critical, .warning, .ok].first(where: levels.contains) ?? .noData
        let serviceTotal = report.lambdaEstimate?.functions.filter { names.contains($0.name) }.map(\.cost)
            .reduce(0, +)
        return ServicePageView(
            weekLabel: report.week?.week.description ?? "",
            section: serviceSection(
                service, functions: Array(service.functions[rows]), resources: first ? service.resources : [],
                pages: pages, charts: charts, prefix: "../",
                allRows: rowsFile.map { AllRowsView(file: $0, count: service.functions.count) }),
            pageNav: navigation,
            status: Self.statusText(worst), statusClass: Self.statusClass(worst), costs: costs,
            hasCosts: !costs.isEmpty,
            costTotal: report.lambdaEstimate.map { Format.money(serviceTotal, $0.currency) } ?? Format.missing,
            costScope: count > 1 ? " The table holds this page's functions (\(navigation?.label ?? ""))." : "",
            costFormula: Self.functionCostFormula,
            slos: report.slos.filter { $0.service == service.name }.map {
                Self.sloView($0, zone: charts.zone, href: "../" + pages.slo($0.name), charts: [])
            },
            hasSLOs: first && report.slos.contains { $0.service == service.name },
            paths: report.paths.filter { path in first && path.steps.contains { $0.service == service.name } }.map {
                Self.pathView($0, report: report, pages: pages, prefix: "../")
            },
            hasPaths: first && report.paths.contains { path in path.steps.contains { $0.service == service.name } },
            traceMap: first ? Self.serviceMap(service, report: report, links: pages) : nil)
    }

    static let functionCostFormula =
        "Requests × the request price, plus GB-seconds × its architecture's average tiered price (the estimate's"
        + " duration cost ÷ its GB-seconds), plus its share of provisioned concurrency and ephemeral storage;"
        + " before the free tier, so the shares add up to the estimate plus the free-tier credit"

    /// The most rows of the costs page's table of functions, costliest first; a service's page
    /// lists the rest.
    static let costRows = 25

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
}
