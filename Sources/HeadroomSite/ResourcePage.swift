import Foundation
import HeadroomAnalysis
import HeadroomCharts
import HeadroomModel

/// `resources/<kind>-<name>.html`: one API, queue, table, stream or workflow.
struct ResourcePage: PageKind {
    static let template = "pages/resource"
    static func paths(_ report: Report, links: SiteBuilder.Pages) -> [String] {
        report.services.flatMap(\.resources).map(links.resource)
    }
    static func pages(_ week: WeekInput, site: SiteBuilder) throws(HeadroomError) -> [PlannedPage<ResourceView>] {
        week.report.services.flatMap(\.resources).map { resource in
            PlannedPage(
                path: week.links.resource(resource), title: resource.name,
                view: site.resourceView(resource, report: week.report, pages: week.links, charts: week.charts))
        }
    }
}

extension SiteBuilder {
    func resourceView(_ resource: ResourceReport, report: Report, pages: Pages, charts plan: ChartPlan)
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
}
