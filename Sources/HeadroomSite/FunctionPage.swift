import Foundation
import HeadroomAnalysis
import HeadroomCharts
import HeadroomModel

/// `functions/<name>.html`: every signal of one function, with its formula, and charts.
struct FunctionPage: PageKind {
    static let template = "pages/function"
    static func paths(_ report: Report, links: SiteBuilder.Pages) -> [String] {
        report.functions.map { links.function($0.name) }
    }
    static func pages(_ week: WeekInput, site: SiteBuilder) throws(HeadroomError) -> [PlannedPage<FunctionView>] {
        // Each function's estimated cost.
        var costs: [String: String] = [:]
        if let estimate = week.report.lambdaEstimate {
            for function in estimate.functions { costs[function.name] = Format.money(function.cost, estimate.currency) }
        }
        // Each view draws the function's charts: on every core.
        return try week.report.functions.concurrentMapOfValues { function in
            PlannedPage(
                path: week.links.function(function.name), title: function.name,
                view: site.functionView(
                    function, report: week.report, pages: week.links, costs: costs, charts: week.charts))
        }
    }
}

extension SiteBuilder {
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

    func functionView(
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
        let errors = Self.errorGroups(on: function.name, report, pages: pages)
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
            errors: errors.groups, hasErrors: !errors.groups.isEmpty,
            errorsMore: errors.more > 0
                ? "And \(plural(errors.more, "more group")) on this function: the Errors page ranks them all." : nil,
            sources: function.sources)
    }

    static func percentileFormula(_ value: WeeklyPercentile?, _ stat: String) -> String {
        guard let value else { return "AWS/Lambda Duration (\(stat)): no datapoint this week" }
        return value.exact
            ? "AWS/Lambda Duration (\(stat)) computed by CloudWatch over the whole week"
            : "Highest hourly AWS/Lambda Duration (\(stat)): an upper bound of the weekly \(stat)"
    }
}
