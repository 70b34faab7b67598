import Foundation
import HeadroomAnalysis
import HeadroomCharts
import HeadroomModel

/// `limits.html`: every quota by use, with its trend.
struct LimitsPage: PageKind {
    static let template = "pages/limits"
    static func paths(_ report: Report, links: SiteBuilder.Pages) -> [String] { ["limits.html"] }
    static func pages(_ week: WeekInput, site: SiteBuilder) throws(HeadroomError) -> [PlannedPage<LimitsPageView>] {
        let quotaCharts = week.charts.quotaCharts()
        return [
            PlannedPage(
                path: "limits.html", title: "Limits",
                view: LimitsPageView(
                    weekLabel: week.weekLabel, quotas: week.report.quotas.map(SiteBuilder.quotaView),
                    hasQuotas: !week.report.quotas.isEmpty, quotaBullets: quotaCharts.first,
                    quotaTrends: Array(quotaCharts.dropFirst())))
        ]
    }
}

extension SiteBuilder {
    static func quotaView(_ quota: QuotaReport) -> QuotaView {
        let number = { (value: Double?) in
            value.map(ValueUnit.count.format) ?? Format.missing
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
}
