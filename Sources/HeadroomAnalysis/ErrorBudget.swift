import Foundation
import HeadroomModel

/// An SLO's attainment and error budget at the end of the report week.
public struct SLOReport: Sendable, Equatable {
    public enum Status: Sendable, Equatable {
        case computed
        /// No events in the window: never 0/0, never 100%.
        case noData
        /// The definition uses something Headroom does not compute yet; the reason says what.
        case notComputed(String)
    }

    public var name: String
    public var displayName: String?
    public var service: String?
    /// As a fraction, e.g. 0.999.
    public var target: Double
    public var window: SLOWindow
    public var budgeting: BudgetingMethod
    public var status: Status
    /// Window start and end (the end of the report week).
    public var interval: Range<Instant>?
    public var good: Double?
    public var total: Double?
    /// good ÷ total.
    public var attainment: Double?
    /// Bad events the objective allows in the window: (1 − target) × total.
    public var budgetEvents: Double?
    /// Bad events so far ÷ allowed bad events × 100; above 100 the budget is exhausted.
    public var budgetConsumedPercent: Double?
    /// The report week's error rate ÷ (1 − target): 1 spends the budget exactly over the window.
    public var weekBurnRate: Double?
    /// Multi-window, multi-burn-rate alerts evaluated over the report week.
    public var alerts: [BurnAlert] = []
    /// Each week's own attainment (good ÷ total within the week), oldest first, up to the report
    /// week; nil for a week without events. A week complies when it reaches the target.
    public var weekly: [WeeklyAttainment] = []
    public var source: String
}

public struct WeeklyAttainment: Sendable, Equatable {
    public var week: ISOWeek
    public var attainment: Double?
}

/// One of the Google SRE workbook's burn-rate alerts, scaled to the SLO window, with the episodes
/// in which it would have fired during the report week.
public struct BurnAlert: Sendable, Equatable {
    /// `page` or `ticket`.
    public var severity: String
    public var burnRate: Double
    public var longWindowSeconds: Int
    public var shortWindowSeconds: Int
    /// Merged runs of firing evaluations: from the first firing period's end to the last's.
    public var episodes: [Range<Instant>]
}

extension Analysis {
    /// Error budgets of every SLO. Rules:
    /// - An `indicatorRef` is resolved against the SLIs of every file by name.
    /// - Computed now: Occurrences budgeting over rolling windows of fixed length (minutes to
    ///   weeks), ending at the end of the report week, with a ratio indicator whose metric
    ///   sources are single CloudWatch metrics (namespace, metricName, stat, dimensions). Bad
    ///   events are bad, or total − good.
    /// - A source matches the series with the same namespace, metric, statistic and dimensions;
    ///   among several periods the finest is used. Events are the sum of the datapoints in the window.
    /// - Anything else is reported as not computed yet, with the reason; no events is "no data".
    static func errorBudgets(
        _ dataset: Dataset, week: Range<Instant>, history: [(week: ISOWeek, interval: Range<Instant>)] = []
    ) -> [SLOReport] {
        var slis: [String: ServiceLevelIndicator] = [:]
        for sli in dataset.slis where slis[sli.name] == nil { slis[sli.name] = sli }
        return dataset.slos.map { slo in
            var report = SLOReport(
                name: slo.name, displayName: slo.displayName, service: slo.service,
                target: slo.objectives.first?.target ?? 0,
                window: slo.window, budgeting: slo.budgeting, status: .computed, source: slo.source)
            func notComputed(_ reason: String) -> SLOReport {
                report.status = .notComputed(reason)
                return report
            }
            let indicator: ServiceLevelIndicator
            switch slo.indicator {
            case .inline(let inline): indicator = inline
            case .reference(let name):
                guard let found = slis[name] else { return notComputed("no SLI named \(name)") }
                indicator = found
            }
            guard slo.budgeting == .occurrences else { return notComputed("\(slo.budgeting.rawValue) budgeting") }
            guard slo.window.isRolling, let length = slo.window.fixedSeconds else {
                return notComputed("calendar and month-long windows")
            }
            guard slo.objectives.count == 1 else { return notComputed("more than one objective") }
            guard case .ratio(let good, let bad, let total, _) = indicator.kind else {
                return notComputed("threshold and raw-ratio indicators")
            }
            let interval = Instant(seconds: week.upperBound.seconds - Int64(length))..<week.upperBound
            report.interval = interval
            /// Bad and total events in a range; nil when a source matches no series in the data.
            func counts(in range: Range<Instant>) -> (bad: Double, total: Double)? {
                guard let totalEvents = events(total, dataset.series, in: range) else { return nil }
                if let bad {
                    guard let badEvents = events(bad, dataset.series, in: range) else { return nil }
                    return (badEvents, totalEvents)
                }
                guard let good, let goodEvents = events(good, dataset.series, in: range) else { return nil }
                return (max(0, totalEvents - goodEvents), totalEvents)
            }
            guard let window = counts(in: interval) else {
                return notComputed("a metric source that is not a single CloudWatch metric in the data")
            }
            guard window.total > 0 else {
                report.status = .noData
                return report
            }
            let target = report.target
            report.total = window.total
            report.good = window.total - window.bad
            report.attainment = (window.total - window.bad) / window.total
            report.budgetEvents = (1 - target) * window.total
            report.budgetConsumedPercent = window.bad / ((1 - target) * window.total) * 100
            if let thisWeek = counts(in: week), thisWeek.total > 0 {
                report.weekBurnRate = (thisWeek.bad / thisWeek.total) / (1 - target)
            }
            report.weekly = history.map { item in
                guard let counts = counts(in: item.interval), counts.total > 0 else {
                    return WeeklyAttainment(week: item.week, attainment: nil)
                }
                return WeeklyAttainment(week: item.week, attainment: (counts.total - counts.bad) / counts.total)
            }
            if let totalData = matchingPoints(total, in: dataset.series) {
                report.alerts = burnAlerts(
                    bad: bad.flatMap { matchingPoints($0, in: dataset.series)?.points },
                    good: good.flatMap { matchingPoints($0, in: dataset.series)?.points }, total: totalData.points,
                    period: totalData.period, windowSeconds: length, target: target, week: week)
            }
            return report
        }
    }

    /// The workbook's alerts for a 30-day window: burn rate, long and short window, severity.
    static let workbookAlerts: [(burn: Double, long: Int, short: Int, severity: String)] = [
        (14.4, 3600, 300, "page"), (6, 21_600, 1800, "page"), (3, 86_400, 7200, "ticket"),
        (1, 259_200, 21_600, "ticket"),
    ]

    /// Multi-window, multi-burn-rate alerts (Google SRE workbook, chapter 5), with the windows
    /// scaled by the SLO window ÷ 30 days and rounded up to whole data periods (at least one:
    /// with hourly data the 5-minute short window becomes an hour). At the end of every data
    /// period of the report week an alert fires when the error rate ÷ (1 − target) reaches its
    /// burn rate over both its long and its short window. Periods without data are skipped.
    static func burnAlerts(
        bad: [Point]?, good: [Point]?, total: [Point], period: Int, windowSeconds: Int, target: Double,
        week: Range<Instant>
    ) -> [BurnAlert] {
        guard period > 0, target < 1, !total.isEmpty else { return [] }
        var totals: [Int64: Double] = [:]
        for point in total { totals[point.time.seconds] = point.value }
        var bads: [Int64: Double] = [:]
        if let bad {
            for point in bad { bads[point.time.seconds] = point.value }
        } else if let good {
            var goods: [Int64: Double] = [:]
            for point in good { goods[point.time.seconds] = point.value }
            for (time, value) in totals { bads[time] = max(0, value - (goods[time] ?? 0)) }
        }
        let scale = Double(windowSeconds) / (30 * 86_400)
        func periods(_ seconds: Int) -> Int64 { max(1, Int64((Double(seconds) * scale / Double(period)).rounded(.up))) }
        func rate(endingAt end: Int64, count: Int64) -> Double? {
            var badSum = 0.0
            var totalSum = 0.0
            for index in 1...count {
                let start = end - index * Int64(period)
                if let value = totals[start] {
                    totalSum += value
                    badSum += bads[start] ?? 0
                }
            }
            return totalSum > 0 ? badSum / totalSum / (1 - target) : nil
        }
        return workbookAlerts.map { alert in
            let long = periods(alert.long)
            let short = periods(alert.short)
            var episodes: [Range<Instant>] = []
            var end = week.lowerBound.seconds + Int64(period)
            while end <= week.upperBound.seconds {
                if let longBurn = rate(endingAt: end, count: long), let shortBurn = rate(endingAt: end, count: short),
                    longBurn >= alert.burn, shortBurn >= alert.burn
                {
                    let fired = Instant(seconds: end - Int64(period))..<Instant(seconds: end)
                    if let last = episodes.last, last.upperBound == fired.lowerBound {
                        episodes[episodes.count - 1] = last.lowerBound..<fired.upperBound
                    } else {
                        episodes.append(fired)
                    }
                }
                end += Int64(period)
            }
            return BurnAlert(
                severity: alert.severity, burnRate: alert.burn, longWindowSeconds: Int(long) * period,
                shortWindowSeconds: Int(short) * period, episodes: episodes)
        }
    }

    /// The sum of a CloudWatch metric source's datapoints in `range`, over every file that holds
    /// the metric; nil when no series matches.
    static func events(_ source: MetricSource, _ series: [MetricSeries], in range: Range<Instant>) -> Double? {
        guard let points = matchingPoints(source, in: series)?.points else { return nil }
        return points.filter { range.contains($0.time) }.reduce(0) { $0 + $1.value }
    }

    /// The points of the series a CloudWatch metric source names, from every file, finest period
    /// only, one per timestamp (the first), and that period; nil when no series matches.
    static func matchingPoints(_ source: MetricSource, in series: [MetricSeries]) -> (points: [Point], period: Int)? {
        guard source.type == "CloudWatch", let namespace = source.spec["namespace"]?.text,
            let metricName = source.spec["metricName"]?.text, let stat = source.spec["stat"]?.text
        else { return nil }
        var dimensions: [MetricDimension] = []
        if case .list(let items)? = source.spec["dimensions"] {
            for item in items {
                guard let name = item["name"]?.text, let value = item["value"]?.text else { return nil }
                dimensions.append(MetricDimension(name: name, value: value))
            }
        }
        dimensions.sort()
        let matching = series.filter {
            guard let metric = $0.stat else { return false }
            return metric.namespace == namespace && metric.metricName == metricName && metric.stat == stat
                && metric.dimensions == dimensions
        }
        guard let period = matching.compactMap({ $0.stat?.period }).min() else { return nil }
        var seen: Set<Instant> = []
        var points: [Point] = []
        for item in matching where item.stat?.period == period {
            for point in item.points where seen.insert(point.time).inserted { points.append(point) }
        }
        return (points, period)
    }
}
