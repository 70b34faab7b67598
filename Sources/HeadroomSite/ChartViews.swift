import Foundation
import HeadroomAnalysis
import HeadroomCharts
import HeadroomModel

/// A chart for `partials/chart`: its SVG, a caption, and the data as a table.
struct ChartView: Codable {
    var id: String
    var caption: String
    var svg: TrustedHTML
    var summary: String
    var columns: [String]
    var rows: [ChartRowView]

    init(_ chart: Chart, caption: String) {
        id = chart.id
        self.caption = caption
        // The charts module escapes every label and prints only finite numbers.
        svg = TrustedHTML(trusted: chart.svg)
        summary = chart.summary
        columns = chart.table.columns
        rows = chart.table.rows.map { ChartRowView(head: $0.first ?? "", cells: Array($0.dropFirst())) }
    }
}

struct ChartRowView: Codable {
    var head: String
    var cells: [String]
}

/// The charts of each page, from the Report.
struct ChartPlan {
    let report: Report
    let zone: TimeZone
    /// Incidents from every note, drawn on the time charts they overlap.
    let markers: [Marker]
    /// Each function's sparkline, drawn once: the overview and the service pages show it.
    private var sparklines: [String: TrustedHTML] = [:]

    /// `sparklines: false` for a plan that draws no table (the single-file review's charts).
    init(_ report: Report, sparklines draw: Bool = true) {
        self.report = report
        zone = TimeZone(identifier: report.week?.timeZone ?? "UTC") ?? TimeZone(identifier: "UTC")!
        markers = report.notes.flatMap(\.incidents).map { Marker($0.start, end: $0.end, $0.title) }
        for function in report.functions where draw && !function.series.invocations.isEmpty {
            let chart = Charts.sparkline(
                Series("Invocations", function.series.invocations, period: function.series.period),
                id: "spark-" + Slugs.slug(function.name), title: "\(function.name): invocations per hour this week",
                unit: .count, zone: zone, span: week)
            sparklines[function.name] = TrustedHTML(trusted: chart.svg)
        }
    }

    var week: Range<Instant>? { report.week?.interval }

    /// The width of a chart that shares its row with another (`.chart-grid`): two fit the
    /// content column at 1280 px unscaled, and one on a phone is scaled down less than a wide one.
    static let halfColumn = 540

    func options(_ id: String, _ title: String, unit: ValueUnit = .count, summary: String? = nil, height: Int = 240)
        -> ChartOptions
    {
        ChartOptions(
            id: id, title: title, summary: summary, unit: unit, zone: zone, width: Self.halfColumn, height: height,
            span: week, markers: markers)
    }

    /// A table cell's line of the week's invocations.
    func sparkline(_ function: FunctionReport) -> TrustedHTML? { sparklines[function.name] }

    // MARK: Functions

    func functionCharts(_ function: FunctionReport) -> [ChartView] {
        guard let week = report.week else { return [] }
        let series = function.series
        var charts: [ChartView] = []
        let shift = week.interval.lowerBound.seconds - week.week.previous.interval(in: zone).lowerBound.seconds
        if !series.invocations.isEmpty {
            var lines = [Series(week.week.description, series.invocations, period: series.period)]
            if !series.previousInvocations.isEmpty {
                lines.append(
                    Series(
                        "\(week.week.previous), a week earlier",
                        series.previousInvocations.map {
                            Point(time: Instant(seconds: $0.time.seconds + shift), value: $0.value)
                        },
                        period: series.period, style: .dashed, colour: 6))
            }
            charts.append(
                ChartView(
                    Charts.line(lines, options("invocations", "\(function.name): invocations per period")),
                    caption: "Invocations, this week against the week before"))
        }
        if !series.errors.isEmpty || !series.throttles.isEmpty {
            charts.append(
                ChartView(
                    Charts.line(
                        [
                            Series("Errors", series.errors, period: series.period, colour: 5),
                            Series("Throttles", series.throttles, period: series.period, colour: 1),
                        ], options("errors", "\(function.name): errors and throttles per period")),
                    caption: "Errors and throttles"))
        }
        let percentiles = [("p50", series.p50), ("p90", series.p90), ("p99", series.p99)].filter { !$0.1.isEmpty }
        if !percentiles.isEmpty {
            var chartOptions = options("latency", "\(function.name): duration percentiles", unit: .milliseconds)
            if let timeout = function.timeoutSeconds {
                chartOptions.thresholds = [Threshold(Double(timeout) * 1000, "Timeout \(timeout) s", level: .critical)]
            }
            charts.append(
                ChartView(
                    Charts.percentileBands(percentiles.map { Series($0.0, $0.1) }, chartOptions),
                    caption: "Duration percentiles per period (CloudWatch)"
                        + (function.timeoutSeconds == nil ? "" : ", against the timeout")))
        }
        if !series.errors.isEmpty {
            charts.append(
                ChartView(
                    Charts.heatmap(
                        series.errors, days: week.interval,
                        options("errors-heatmap", "\(function.name): errors by hour")),
                    caption: "Errors by hour of day"))
        }
        if let logs = function.logs {
            if logs.coldStarts > 0 {
                charts.append(
                    ChartView(
                        Charts.heatmap(
                            logs.starts, days: week.interval,
                            options("cold-starts", "\(function.name): cold starts by hour (REPORT lines)")),
                        caption: "Cold starts by hour of day, from REPORT lines"))
            }
            charts.append(
                ChartView(
                    Charts.histogram(
                        logs.durations,
                        markers: [("p50", logs.durationP50), ("p90", logs.durationP90), ("p99", logs.durationP99)],
                        options(
                            "durations", "\(function.name): duration of each logged invocation", unit: .milliseconds)),
                    caption: "Duration of each logged invocation, from REPORT lines"))
        }
        return charts
    }

    // MARK: Resources

    func resourceCharts(_ resource: ResourceReport) -> [ChartView] {
        resource.signals.filter { !$0.points.isEmpty }.enumerated().map { index, signal in
            var chartOptions = options(
                "signal-\(index)", "\(resource.name): \(signal.metric.label)", unit: Self.unit(signal.metric.unit),
                height: 200)
            if let warning = signal.metric.warning, signal.metric.percentOf == nil {
                chartOptions.thresholds.append(Threshold(warning, "Warning", level: .warning))
            }
            if let critical = signal.metric.critical, signal.metric.percentOf == nil {
                chartOptions.thresholds.append(Threshold(critical, "Critical", level: .critical))
            }
            return ChartView(
                Charts.line(
                    [Series(signal.metric.label, signal.points)], chartOptions, area: signal.metric.role == .volume),
                caption: "\(signal.metric.label) (\(resource.namespace), \(signal.formula))")
        }
    }

    static func unit(_ catalogUnit: String) -> ValueUnit {
        switch catalogUnit {
        case "Milliseconds": .milliseconds
        case "Seconds": .seconds
        case "Bytes": .bytes
        case "Percent": .percent
        default: .count
        }
    }

    // MARK: Error budgets

    func sloCharts(_ slo: SLOReport, index: Int) -> [ChartView] {
        guard let interval = slo.interval, let end = slo.windowEnd, !slo.budgetSeries.isEmpty else { return [] }
        let name = slo.displayName ?? slo.name
        let left = slo.budgetConsumedPercent.map { 100 - $0 }
        let window = interval.lowerBound..<end
        let summary =
            "\(name): " + (left.map { ValueUnit.percent.format($0) } ?? "—") + " of the window's error budget left"
            + (slo.weekBurnRate.map { ", burning \(ValueUnit.ratio.format($0)) this week" } ?? "") + "."
        var charts = [
            ChartView(
                Charts.burnDown(
                    remaining: slo.budgetSeries, period: nil, window: window, now: interval.upperBound,
                    burnRate: slo.weekBurnRate,
                    ChartOptions(
                        id: "slo-\(index)-budget", title: "\(name): error budget left", summary: summary, zone: zone,
                        width: Self.halfColumn, height: 220, markers: markers)),
                caption: "\(name): budget left over the window")
        ]
        if !slo.burnSeries.isEmpty {
            let bands =
                slo.budgeting == .occurrences
                ? [
                    Band(from: 0, to: 1, "within budget", level: .ok),
                    Band(from: 1, to: 6, "tickets (1× and 3× alerts)", level: .warning),
                    Band(from: 6, to: 14.4, "pages (6× alert)", level: .critical),
                    Band(from: 14.4, to: nil, "pages fast (14.4× alert)", level: .critical),
                ]
                : [Band(from: 0, to: 1, "within budget", level: .ok)]
            charts.append(
                ChartView(
                    Charts.burnRate(
                        Series("Burn rate", slo.burnSeries), bands: bands,
                        ChartOptions(
                            id: "slo-\(index)-burn", title: "\(name): burn rate this week", zone: zone,
                            width: Self.halfColumn,
                            height: 220, span: week, markers: markers)),
                    caption: "\(name): burn rate this week"))
        }
        if slo.weekly.count > 1 {
            let weeks = slo.weekly.map { item in
                Point(time: item.week.interval(in: zone).lowerBound, value: item.attainment.map { $0 * 100 } ?? .nan)
            }
            let met = slo.weekly.filter { ($0.attainment ?? -1) >= slo.target }.count
            charts.append(
                ChartView(
                    Charts.line(
                        [Series("Attainment", weeks, period: 7 * 86_400)],
                        ChartOptions(
                            id: "slo-\(index)-weekly", title: "\(name): attainment week by week",
                            summary: "\(name): the objective was met in \(met) of \(slo.weekly.count) weeks.",
                            unit: .percent, zone: zone, width: Self.halfColumn, height: 220,
                            thresholds: [
                                Threshold(
                                    slo.target * 100, "Objective " + SiteBuilder.objectiveText(slo.target),
                                    level: .critical)
                            ], includeZero: false)),
                    caption: "\(name): attainment of each week on its own"))
        }
        return charts
    }

    // MARK: Quotas

    func quotaCharts() -> [ChartView] {
        let measured = report.quotas.filter { $0.peak != nil }
        guard !measured.isEmpty, let week = report.week else { return [] }
        var charts = [
            ChartView(
                Charts.bullets(
                    measured.map {
                        Bullet(
                            $0.name, value: $0.peak!, limit: $0.limit,
                            detail: "peak \(ValueUnit.count.format($0.peak!)) of \(ValueUnit.count.format($0.limit))")
                    },
                    ChartOptions(
                        id: "quota-bullets", title: "Quota headroom: this week's peak against each limit", zone: zone)),
                caption: "This week's peak as a share of each limit; the marks are at 80 % and 100 %")
        ]
        for (index, quota) in measured.filter({ $0.weeklyPeaks.count >= 3 }).enumerated() {
            let points = quota.weeklyPeaks.map { Point(time: $0.week.interval(in: zone).lowerBound, value: $0.peak) }
            var exhaustion: Instant?
            if case .week(let reached) = quota.projection { exhaustion = reached.interval(in: zone).lowerBound }
            let first = points[0].time
            charts.append(
                ChartView(
                    Charts.quotaTrend(
                        usage: points, limit: quota.limit, projectedExhaustion: exhaustion,
                        ChartOptions(
                            id: "quota-trend-\(index)", title: "\(quota.name): weekly peak", zone: zone,
                            width: Self.halfColumn,
                            height: 220, span: first..<week.week.next.interval(in: zone).lowerBound)),
                    caption: "\(quota.name): weekly peak and projection (\(quota.projection))"))
        }
        return charts
    }

    // MARK: Cost

    func costCharts(_ cost: CostWeek) -> [ChartView] {
        guard let week = report.week else { return [] }
        let currency = ValueUnit.currency(cost.currency)
        let last = week.week.mondayDays + 6
        let first = last - 48
        let days = cost.daily.filter { $0.day >= first }
        var byService: [String: Decimal] = [:]
        for day in days { byService[day.service, default: 0] += day.amount }
        let top = byService.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.prefix(6).map(\.key)
        var series: [String: [Int64: Double]] = [:]
        for day in days {
            let name = top.contains(day.service) ? day.service : "Other"
            series[name, default: [:]][day.day, default: 0] += NSDecimalNumber(decimal: day.amount).doubleValue
        }
        let names = top + (series["Other"] == nil ? [] : ["Other"])
        var charts: [ChartView] = []
        if !days.isEmpty {
            let change = Format.change(from: cost.previousTotal, to: cost.total)
            charts.append(
                ChartView(
                    Charts.stackedArea(
                        names.map { name in
                            Series(
                                name,
                                series[name]!.sorted { $0.key < $1.key }.map {
                                    Point(time: Instant(seconds: $0.key * 86_400), value: $0.value)
                                }, period: 86_400)
                        },
                        ChartOptions(
                            id: "cost-trend", title: "Daily cost by service, the last seven weeks",
                            summary: "This week cost \(Format.money(cost.total, cost.currency))"
                                + (change.map { ", \($0) week over week" } ?? "")
                                + (cost.moversByAmount.first.map {
                                    ", the largest move " + $0.name + " "
                                        + Format.moneyChange(from: $0.previous, to: $0.current, cost.currency)
                                } ?? "") + ".", unit: currency, zone: TimeZone(identifier: "UTC")!,
                            span: Instant(seconds: first * 86_400)..<Instant(seconds: (last + 1) * 86_400))),
                    caption: "Daily cost by service over seven weeks (UTC days, as the bill counts them)"))
        }
        let moved = cost.services.filter { $0.previous != nil && $0.current != nil && $0.previous != $0.current }
            .sorted { ($0.current! - $0.previous!).magnitude > ($1.current! - $1.previous!).magnitude }.prefix(10)
        if !moved.isEmpty {
            charts.append(
                ChartView(
                    Charts.diverging(
                        moved.map { ($0.name, NSDecimalNumber(decimal: $0.current! - $0.previous!).doubleValue) },
                        ChartOptions(
                            id: "cost-movers", title: "Cost change by service against the week before", unit: currency,
                            zone: zone)),
                    caption: "Where cost moved: the change by service against the week before"))
        }
        return charts
    }
}
