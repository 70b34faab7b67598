import Foundation
import HeadroomAnalysis
import HeadroomCharts
import HeadroomModel

/// `slos.html`: the objectives by remaining budget.
struct SLOIndexPage: PageKind {
    static let template = "pages/slos"
    static func paths(_ report: Report, links: SiteBuilder.Pages) -> [String] { ["slos.html"] }
    static func pages(_ week: WeekInput, site: SiteBuilder) throws(HeadroomError) -> [PlannedPage<SLOIndexView>] {
        [
            PlannedPage(
                path: "slos.html", title: "Error budgets",
                view: SLOIndexView(weekLabel: week.weekLabel, slos: week.sloRows, hasSLOs: !week.report.slos.isEmpty))
        ]
    }
}

/// `slos/<name>.html`: one objective's burn-down, burn rate, alerts and the math.
struct SLOPage: PageKind {
    static let template = "pages/slo"
    static func paths(_ report: Report, links: SiteBuilder.Pages) -> [String] { report.slos.map { links.slo($0.name) } }
    static func pages(_ week: WeekInput, site: SiteBuilder) throws(HeadroomError) -> [PlannedPage<SLOPageView>] {
        week.report.slos.enumerated().map { index, slo in
            let view = SiteBuilder.sloView(
                slo, zone: week.charts.zone, href: week.links.slo(slo.name),
                charts: week.charts.sloCharts(slo, index: index))
            return PlannedPage(
                path: week.links.slo(slo.name), title: view.name,
                view: SLOPageView(weekLabel: week.weekLabel, slo: view))
        }
    }
}

extension SiteBuilder {
    /// `99.9%` for a target of 0.999.
    static func objectiveText(_ target: Double) -> String { ValueUnit.plain.format(target * 100) + "%" }

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
            attainment: slo.attainment.map { Format.fixed($0 * 100, 3) + "%" } ?? Format.missing,
            remaining: remaining.map { Format.percent($0) } ?? Format.missing, statusClass: statusClass,
            burnRate: slo.weekBurnRate.map { ValueUnit.ratio.format($0) } ?? Format.missing, budgetNote: note,
            alerts: alerts, alertsMissing: alertsMissing,
            weekly: slo.weekly.map { item in
                let label = "W" + String(item.week.description.suffix(2))
                guard let attainment = item.attainment else { return "\(label) no data" }
                return "\(label) " + (attainment >= slo.target ? "met" : "missed")
                    + " (\(Format.percent(attainment * 100)))"
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
}
