import Foundation
import HeadroomAnalysis
import HeadroomCharts
import HeadroomModel

/// `index.html`: the week at a glance, each long list cut to what needs attention.
struct OverviewPage: PageKind {
    static let template = "pages/overview"
    static func paths(_ report: Report, links: SiteBuilder.Pages) -> [String] { ["index.html"] }
    static func pages(_ week: WeekInput, site: SiteBuilder) throws(HeadroomError) -> [PlannedPage<OverviewView>] {
        [
            PlannedPage(
                path: "index.html", title: "Overview",
                view: try site.overview(
                    week.report, pages: week.links, charts: week.charts, slos: week.sloRows))
        ]
    }
}

extension SiteBuilder {
    /// The most function and resource rows a service shows on the overview, of those not OK.
    static let overviewRows = 10

    /// What a service shows on the overview: its functions and resources that are not OK (critical,
    /// warning or without data), worst first, at most `overviewRows` of each. The healthy rest is
    /// counted under the table and listed on the service's page.
    static func needingAttention<Row>(_ rows: [Row], level: (Row) -> HealthStatus.Level, order: ([Row]) -> [Row])
        -> [Row]
    {
        Array(order(rows.filter { level($0) != .ok }).prefix(overviewRows))
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

    func overview(
        _ report: Report, pages: Pages, charts: ChartPlan, slos: [SLOView]
    ) throws(HeadroomError) -> OverviewView {
        let shown = 12
        let hidden = Dictionary(grouping: report.changes.dropFirst(shown), by: \.impact).sorted { $0.key < $1.key }
            .map { "\($0.value.count) more \($0.key)" + ($0.value.count == 1 ? "" : "s") }
        return OverviewView(
            siteTitle: report.title,
            hasData: report.week != nil,
            weekLabel: report.week?.week.description,
            weekRange: report.week.map { Self.range(of: $0.week) } ?? "",
            timeZone: report.week?.timeZone ?? "",
            verdict: report.week == nil ? nil : Self.verdictView(report.headline.verdict),
            tiles: Self.tiles(report, pages: pages),
            changes: report.changes.prefix(shown).map {
                Self.changeView($0, report: report, pages: pages)
            },
            hasChanges: !report.changes.isEmpty,
            moreChanges: hidden.isEmpty ? nil : "and " + hidden.joined(separator: " and "),
            otherChanges: report.changes.dropFirst(shown).map {
                Self.changeView($0, report: report, pages: pages)
            },
            services: report.services.map { service in
                let functions = Self.needingAttention(
                    service.functions, level: \.health.level, order: Self.leastHealthy)
                let resources = Self.needingAttention(
                    service.resources, level: \.health.level, order: Self.leastHealthy)
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

    /// The week's verdict in words: "A critical week: 2 objectives out of error budget; …".
    static func verdictView(_ verdict: Headline.Verdict) -> VerdictView {
        let title =
            switch verdict.level {
            case .critical: "A critical week"
            case .warning: "A week with warnings"
            case .ok: "All checks OK"
            case .noData: "Nothing to judge"
            }
        let shown = verdict.reasons.prefix(4).joined(separator: "; ")
        let more = verdict.reasons.count > 4 ? "; and \(verdict.reasons.count - 4) more" : ""
        return VerdictView(
            title: title, statusClass: statusClass(verdict.level), reasons: shown.isEmpty ? nil : shown + more)
    }

    static func changeView(_ change: Change, report: Report, pages: Pages) -> ChangeView {
        let href: String
        switch change.subject {
        case .function(let name): href = pages.function(name)
        case .slo(let name): href = pages.slo(name)
        case .quota: href = "limits.html"
        case .cost: href = "costs.html"
        case .finding(let rule, let state): href = pages.finding(rule: rule, state: "\(state)")
        case .errorGroup(let id): href = pages.errorGroup(id)
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
    func serviceSection(
        _ service: ServiceReport, functions: [FunctionReport], resources: [ResourceReport], overview: Bool = false,
        pages: Pages, charts: ChartPlan, prefix: String, allRows: AllRowsView? = nil
    ) -> ServiceSectionView {
        let href = prefix + pages.service(service.name)
        /// On the overview, what the table leaves out: the healthy, and beyond `overviewRows` the
        /// least bad of those that are not OK.
        func cut<Row>(_ shown: Int, of all: [Row], level: (Row) -> HealthStatus.Level, _ noun: String) -> ListCutView? {
            guard overview, shown < all.count else { return nil }
            let healthy = all.filter { level($0) == .ok }.count
            let attention = all.count - healthy
            let text =
                attention == 0
                ? (all.count == 1
                    ? "Its one \(noun.dropLast()) is OK." : "All \(Format.grouped(Int64(all.count))) \(noun) OK.")
                : shown < attention
                    ? "The \(shown) least healthy of \(Format.grouped(Int64(attention))) \(noun) that are not OK, worst "
                        + "first" + (healthy == 0 ? "." : "; \(Format.grouped(Int64(healthy))) more are OK.")
                    : healthy == 1
                        ? "The other \(noun.dropLast()) is OK."
                        : "The other \(Format.grouped(Int64(healthy))) \(noun) are OK."
            return ListCutView(text: text, href: href, linkText: "Every one on the \(service.name) page")
        }
        let reasons =
            functions.filter { !$0.health.reasons.isEmpty }.map {
                StatusReasonView(
                    name: $0.name, href: prefix + pages.function($0.name),
                    reasons: $0.health.reasons.joined(separator: "; "))
            }
            + resources.filter { !$0.health.reasons.isEmpty }.map {
                StatusReasonView(
                    name: $0.name, href: prefix + pages.resource($0), reasons: $0.health.reasons.joined(separator: "; ")
                )
            }
        return ServiceSectionView(
            name: service.name, anchor: pages.serviceAnchor(service.name),
            href: href,
            description: service.description,
            functions: functions.map {
                row($0, href: prefix + pages.function($0.name), sparkline: charts.sparkline($0))
            },
            hasFunctions: !service.functions.isEmpty,
            functionsCut: cut(functions.count, of: service.functions, level: \.health.level, "functions"),
            totals: FunctionRowView(
                name: "All functions", href: "", status: "", statusClass: "", statusReasons: "",
                invocations: Format.count(service.totals.invocations),
                errors: Format.count(service.totals.errors),
                errorRate: Format.percent(service.totals.errorRate),
                p99: "", p99Note: nil, hasWarnings: false, sparkline: nil),
            resources: resources.map { Self.resourceRow($0, href: prefix + pages.resource($0)) },
            hasResources: !service.resources.isEmpty, hasResourceRows: !resources.isEmpty,
            resourcesCut: cut(resources.count, of: service.resources, level: \.health.level, "resources"),
            reasons: reasons, hasReasons: !reasons.isEmpty, allRows: allRows, filterable: !overview)
    }

    /// The week at a glance: invocations and error % of every function, the p99 nearest its timeout, cost,
    /// the least error budget left, and the most used quota, each against the week before.
    static func tiles(_ report: Report, pages: Pages) -> [TileView] {
        /// Whether a rise is `worse` (errors, latency, cost) or `neutral` (traffic).
        /// Changes smaller than `shown` (what the tile prints) are neutral.
        func direction(_ change: Double?, worseWhenUp: Bool, shown: Double = 0) -> String {
            guard let change, abs(change) >= shown, change != 0, worseWhenUp else { return "neutral" }
            return change > 0 ? "worse" : "better"
        }
        let headline = report.headline
        let (rate, previousRate) = (headline.errorRate, headline.previousErrorRate)
        // Traffic and errors lead to the first service's table.
        let services = "index.html#" + (report.services.first.map { pages.serviceAnchor($0.name) } ?? "")
        var tiles = [
            TileView(
                label: "Invocations", value: Format.count(headline.invocations),
                change: Format.change(from: headline.previousInvocations, to: headline.invocations),
                changeClass: "neutral", note: "of \(plural(headline.functions, "function"))",
                href: services,
                formula: "Sum of AWS/Lambda Invocations (Sum) over the week, every function"),
            TileView(
                label: "Errors", value: Format.percent(rate),
                change: Format.pointChange(from: previousRate, to: rate),
                changeClass: direction(
                    rate.flatMap { r in previousRate.map { r - $0 } }, worseWhenUp: true, shown: 0.005),
                note: "\(Format.count(headline.errors)) errors",
                href: services,
                formula: "Errors ÷ Invocations × 100 over every function; the change is in percentage points"),
        ]
        // Latency as the reader acts on it: the p99 nearest its function's timeout.
        if let nearest = headline.nearestTimeout {
            let now = nearest.p99
            tiles.append(
                TileView(
                    label: "p99 against timeout", value: percentile(now),
                    change: Format.change(from: nearest.previousP99, to: now.value),
                    changeClass: direction(
                        nearest.previousP99.map { (now.value - $0) / $0 * 100 }, worseWhenUp: true, shown: 0.05),
                    note: "\(nearest.function), \(Format.percent(nearest.share * 100)) of \(nearest.timeoutSeconds) s",
                    href: pages.function(nearest.function), level: headline.levels.latency,
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
                    href: "costs.html", level: headline.levels.cost,
                    formula: "The week's \(cost.metric) of every service, in \(cost.currency)"))
        }
        if let slo = report.slos.first, let consumed = slo.budgetConsumedPercent {
            tiles.append(
                TileView(
                    label: "Least error budget", value: Format.percent(100 - consumed), change: nil,
                    changeClass: "neutral", note: slo.displayName ?? slo.name, href: pages.slo(slo.name),
                    level: headline.levels.budget,
                    formula: "The budget left of the objective that has least: 100% − bad ÷ budget"))
        }
        if let findings = headline.findings {
            tiles.append(
                TileView(
                    label: "Open findings", value: "\(findings.open)",
                    change: findings.fresh + findings.resolved == 0
                        ? nil : "\(findings.fresh) new, \(findings.resolved) resolved",
                    changeClass: findings.fresh > findings.resolved
                        ? "worse" : findings.fresh < findings.resolved ? "better" : "neutral",
                    note: "\(findings.serious) critical or high"
                        + (findings.unchecked == 0 ? "" : "; \(findings.unchecked) not checked this week"),
                    href: "checks.html", level: headline.levels.findings,
                    formula:
                        "Findings of the rules and imported tools this week, not muted; new counts those back again; not checked: open when last seen, their source sent nothing this week"
                ))
        }
        if let quota = report.quotas.first, let used = quota.utilisation {
            tiles.append(
                TileView(
                    label: "Quota most used", value: Format.percent(used), change: nil, changeClass: "neutral",
                    note: quota.name, href: "limits.html", level: headline.levels.quota,
                    formula: "This week's peak ÷ the limit × 100, the highest of every quota"))
        }
        return tiles
    }

    func row(_ function: FunctionReport, href: String, sparkline: TrustedHTML?) -> FunctionRowView {
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
}
