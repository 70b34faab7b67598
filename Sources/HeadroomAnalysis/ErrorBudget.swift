import Foundation
import HeadroomModel

/// An SLO's attainment and error budget at the end of the report week.
public struct SLOReport: Sendable, Equatable, Codable {
    public enum Status: Sendable, Equatable, Codable {
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
    /// Bad events the objective allows in the window: (1 − target) × total; for a calendar window,
    /// the total so far projected over the whole period (× window length ÷ time elapsed).
    public var budgetEvents: Double?
    /// Bad events so far ÷ allowed bad events × 100; above 100 the budget is exhausted.
    public var budgetConsumedPercent: Double?
    /// The report week's error rate ÷ (1 − target): 1 spends the budget exactly over the window.
    public var weekBurnRate: Double?
    /// Multi-window, multi-burn-rate alerts evaluated over the report week's budget units.
    public var alerts: [BurnAlert] = []
    /// The end of the whole window: the calendar period's end, or the report week's end.
    public var windowEnd: Instant?
    /// The burn rate of each period (or time slice) of the report week with data, at its start.
    public var burnSeries: [Point] = []
    /// The budget left (% of `budgetEvents`) after each period or slice of the window with data,
    /// at its start: the burn-down.
    public var budgetSeries: [Point] = []
    /// When the budget runs out at this week's burn rate.
    public var exhaustion: Exhaustion = .noBurn
    /// Each week's own attainment (good ÷ total within the week), oldest first, up to the report
    /// week; nil for a week without events. A week complies when it reaches the target.
    public var weekly: [WeeklyAttainment] = []
    public var source: String
}

extension SLOReport {
    public enum Exhaustion: Sendable, Equatable, CustomStringConvertible, Codable {
        /// 100 % or more of the budget is spent.
        case exhausted
        /// The projected moment the budget runs out.
        case at(Instant)
        /// Not before the calendar window ends (and the budget resets).
        case notBeforeWindowEnd(Instant)
        /// A rolling window burning at most 1×: the budget lasts.
        case sustainable
        /// No burn this week (or no data this week).
        case noBurn

        public var description: String {
            switch self {
            case .exhausted: "exhausted"
            case .at(let instant): "at \(instant)"
            case .notBeforeWindowEnd(let end): "not before the window ends at \(end)"
            case .sustainable: "sustainable"
            case .noBurn: "no burn"
            }
        }
    }
}

public struct WeeklyAttainment: Sendable, Equatable, Codable {
    public var week: ISOWeek
    public var attainment: Double?
}

/// One of the Google SRE workbook's burn-rate alerts, scaled to the SLO window, with the episodes
/// in which it would have fired during the report week.
public struct BurnAlert: Sendable, Equatable, Codable {
    /// `page` or `ticket`.
    public var severity: String
    public var burnRate: Double
    public var longWindowSeconds: Int
    public var shortWindowSeconds: Int
    /// Merged runs of firing evaluations: from the first firing period's end to the last's.
    public var episodes: [Range<Instant>]
    /// The highest burn rate that the long and the short window reached together in the report
    /// week (the smaller of the two at each evaluation, then the largest of those), and the end of
    /// the period where it was reached; nil when no evaluation had data. The alert fires exactly
    /// when this reaches `burnRate`, so it says by how much an alert that did not fire missed.
    public var highest: Point?

    public init(
        severity: String, burnRate: Double, longWindowSeconds: Int, shortWindowSeconds: Int,
        episodes: [Range<Instant>], highest: Point? = nil
    ) {
        self.severity = severity
        self.burnRate = burnRate
        self.longWindowSeconds = longWindowSeconds
        self.shortWindowSeconds = shortWindowSeconds
        self.episodes = episodes
        self.highest = highest
    }
}

extension Analysis {
    /// Error budgets of every SLO. Rules:
    /// - An `indicatorRef` is resolved against the SLIs of every file by name.
    /// - Indicators: a ratio (good/total or bad/total; bad = total − good) or a threshold metric,
    ///   whose sources are single CloudWatch metrics (namespace, metricName, stat, dimensions). A
    ///   source matches the series with the same namespace, metric, statistic and dimensions; among
    ///   several periods the finest is used.
    /// - Budgeting, all counted in budget units (bad, total):
    ///   - Occurrences (ratio indicators): each period's bad and total events;
    ///   - Timeslices: a slice of `timeSliceWindow` (a whole number of data periods, aligned to
    ///     multiples of its length) is good when its ratio (Σ good ÷ Σ total) reaches
    ///     `timeSliceTarget`, or, for a threshold indicator, when its worst value meets the
    ///     objective's `op` and `value`; one unit per slice with data;
    ///   - RatioTimeslices: each slice with data counts 1 − its ratio as bad, out of 1.
    ///   A calendar window's budget is that of the whole period: the units so far × window length ÷
    ///   time elapsed, so a month half gone at a steady 1× burn has half its budget left.
    ///   Periods and slices without data count for nothing: a gap is never good or bad.
    /// - Windows end at the end of the report week. Rolling: the last `duration`. Calendar: the
    ///   current period (days, weeks, months, quarters or years, `count` long, counted from
    ///   `calendar.startTime`) in the calendar's time zone, from its start to the report week's end.
    /// - attainment = 1 − bad ÷ total; budget = (1 − target) × total (× length ÷ elapsed for a
    ///   calendar window); consumed = bad ÷ budget;
    ///   burn rate = (bad ÷ total) ÷ (1 − target).
    /// - No data in the window is "no data"; anything else Headroom cannot compute says why.
    static func errorBudgets(
        _ dataset: Dataset, week: Range<Instant>, history: [(week: ISOWeek, interval: Range<Instant>)] = [],
        zone: TimeZone = TimeZone(identifier: "UTC")!
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
            guard slo.objectives.count == 1, let objective = slo.objectives.first else {
                return notComputed("more than one objective")
            }
            guard let window = sloWindow(slo.window, end: week.upperBound, zone: zone) else {
                return notComputed("a calendar window whose startTime or timeZone cannot be read")
            }
            guard window.start <= week.upperBound else {
                return notComputed("the calendar window starts after the report week")
            }
            report.interval = window.start..<week.upperBound
            report.windowEnd = window.end
            let units: [BudgetUnit]
            let unitSeconds: Int
            switch budgetUnits(indicator.kind, slo.budgeting, objective, dataset.series) {
            case .success(let found): (units, unitSeconds) = found
            case .failure(let reason): return notComputed(reason.message)
            }
            let target = report.target
            func sum(_ range: Range<Instant>) -> (bad: Double, total: Double) {
                var bad = 0.0
                var total = 0.0
                for unit in units where range.contains(unit.start) {
                    bad += unit.bad
                    total += unit.total
                }
                return (bad, total)
            }
            let inWindow = sum(window.start..<week.upperBound)
            guard inWindow.total > 0 else {
                report.status = .noData
                return report
            }
            report.total = inWindow.total
            report.good = inWindow.total - inWindow.bad
            report.attainment = (inWindow.total - inWindow.bad) / inWindow.total
            // A calendar window is judged at its end: its budget is that of the whole period, the
            // units so far projected over it at the same rate (rolling windows are whole already).
            let projected =
                Double(window.end.seconds - window.start.seconds)
                / Double(max(1, week.upperBound.seconds - window.start.seconds))
            let budget = (1 - target) * inWindow.total * max(1, projected)
            report.budgetEvents = budget
            report.budgetConsumedPercent = inWindow.bad / budget * 100
            var spent = 0.0
            report.budgetSeries = units.filter { (window.start..<week.upperBound).contains($0.start) }
                .sorted { $0.start < $1.start }.map { unit in
                    spent += unit.bad
                    return Point(time: unit.start, value: 100 - spent / budget * 100)
                }
            let thisWeek = sum(week)
            if thisWeek.total > 0 { report.weekBurnRate = (thisWeek.bad / thisWeek.total) / (1 - target) }
            report.burnSeries = units.filter { week.contains($0.start) && $0.total > 0 }.map {
                Point(time: $0.start, value: $0.bad / $0.total / (1 - target))
            }
            report.exhaustion = exhaustion(
                consumedPercent: report.budgetConsumedPercent!, burn: report.weekBurnRate,
                rolling: slo.window.isRolling,
                window: window, from: week.upperBound)
            report.weekly = history.map { item in
                let counts = sum(item.interval)
                guard counts.total > 0 else { return WeeklyAttainment(week: item.week, attainment: nil) }
                return WeeklyAttainment(week: item.week, attainment: (counts.total - counts.bad) / counts.total)
            }
            report.alerts = burnAlerts(
                units: units, unitSeconds: unitSeconds,
                windowSeconds: Int(window.end.seconds - window.start.seconds), target: target, week: week)
            return report
        }
    }

    /// Budget units starting at a period's or a slice's start.
    struct BudgetUnit {
        var start: Instant
        var bad: Double
        var total: Double
    }

    struct Unsupported: Error {
        var message: String
    }

    /// The indicator's data as budget units for the budgeting method (see `errorBudgets`), and the
    /// length of one unit in seconds (the data period, or the time slice).
    static func budgetUnits(
        _ kind: ServiceLevelIndicator.Kind, _ budgeting: BudgetingMethod, _ objective: SLOObjective,
        _ series: [MetricSeries]
    ) -> Result<(units: [BudgetUnit], seconds: Int), Unsupported> {
        let missing = Unsupported(message: "a metric source that is not a single CloudWatch metric in the data")
        // Per data period: (bad, total) for ratios, the value for thresholds.
        var periods: [Int64: (bad: Double, total: Double)] = [:]
        var values: [Int64: Double] = [:]
        let period: Int
        switch kind {
        case .ratio(let good, let bad, let total, _):
            guard let totals = matchingPoints(total, in: series) else { return .failure(missing) }
            period = totals.period
            var bads: [Int64: Double] = [:]
            if let bad {
                guard let found = matchingPoints(bad, in: series) else { return .failure(missing) }
                for point in found.points { bads[point.time.seconds] = point.value }
            } else if let good {
                guard let found = matchingPoints(good, in: series) else { return .failure(missing) }
                var goods: [Int64: Double] = [:]
                for point in found.points { goods[point.time.seconds] = point.value }
                for point in totals.points {
                    bads[point.time.seconds] = max(0, point.value - (goods[point.time.seconds] ?? 0))
                }
            }
            for point in totals.points { periods[point.time.seconds] = (bads[point.time.seconds] ?? 0, point.value) }
        case .threshold(let source):
            guard budgeting == .timeslices else {
                return .failure(Unsupported(message: "a threshold indicator needs Timeslices budgeting"))
            }
            guard let op = objective.op, objective.value != nil, ["lt", "lte", "gt", "gte"].contains(op) else {
                return .failure(Unsupported(message: "a threshold objective without op and value"))
            }
            guard let found = matchingPoints(source, in: series) else { return .failure(missing) }
            period = found.period
            for point in found.points { values[point.time.seconds] = point.value }
        case .rawRatio:
            return .failure(Unsupported(message: "raw-ratio indicators"))
        }
        if budgeting == .occurrences {
            return .success(
                (
                    periods.keys.sorted().map {
                        BudgetUnit(start: Instant(seconds: $0), bad: periods[$0]!.bad, total: periods[$0]!.total)
                    }, period
                ))
        }
        guard let length = objective.timeSliceWindowSeconds else {
            return .failure(Unsupported(message: "\(budgeting.rawValue) budgeting without timeSliceWindow"))
        }
        guard length >= period, length % period == 0 else {
            return .failure(
                Unsupported(
                    message: "a timeSliceWindow of \(length) s, not a whole number of the \(period) s data periods"))
        }
        let slice = Int64(length)
        func sliceStart(_ time: Int64) -> Int64 { Int64((Double(time) / Double(slice)).rounded(.down)) * slice }
        var units: [BudgetUnit] = []
        if case .threshold = kind {
            let op = objective.op!
            let limit = objective.value!
            var worst: [Int64: Double] = [:]
            for (time, value) in values {
                let start = sliceStart(time)
                let lowerIsBetter = op == "lt" || op == "lte"
                worst[start] = worst[start].map { lowerIsBetter ? max($0, value) : min($0, value) } ?? value
            }
            for start in worst.keys.sorted() {
                let value = worst[start]!
                let good: Bool =
                    switch op {
                    case "lt": value < limit
                    case "lte": value <= limit
                    case "gt": value > limit
                    default: value >= limit
                    }
                units.append(BudgetUnit(start: Instant(seconds: start), bad: good ? 0 : 1, total: 1))
            }
            return .success((units, length))
        }
        var slices: [Int64: (bad: Double, total: Double)] = [:]
        for (time, counts) in periods {
            let start = sliceStart(time)
            slices[start] = ((slices[start]?.bad ?? 0) + counts.bad, (slices[start]?.total ?? 0) + counts.total)
        }
        for start in slices.keys.sorted() {
            let counts = slices[start]!
            guard counts.total > 0 else { continue }
            let ratio = (counts.total - counts.bad) / counts.total
            if budgeting == .ratioTimeslices {
                units.append(BudgetUnit(start: Instant(seconds: start), bad: 1 - ratio, total: 1))
            } else {
                guard let sliceTarget = objective.timeSliceTarget else {
                    return .failure(Unsupported(message: "Timeslices budgeting without timeSliceTarget"))
                }
                units.append(BudgetUnit(start: Instant(seconds: start), bad: ratio >= sliceTarget ? 0 : 1, total: 1))
            }
        }
        return .success((units, length))
    }

    /// The window ending at `end`: rolling windows are the last `duration` (months, quarters and
    /// years as calendar units back from `end` in `zone`); calendar windows are the period that
    /// holds the instant before `end`, counted in `count`s of the unit from `calendar.startTime`.
    static func sloWindow(_ window: SLOWindow, end: Instant, zone: TimeZone) -> (start: Instant, end: Instant)? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = window.timeZone.flatMap(TimeZone.init(identifier:)) ?? zone
        let endDate = Date(timeIntervalSince1970: TimeInterval(end.seconds))
        let (component, multiple): (Calendar.Component, Int) =
            switch window.unit {
            case .minute: (.minute, 1)
            case .hour: (.hour, 1)
            case .day: (.day, 1)
            case .week: (.day, 7)
            case .month: (.month, 1)
            case .quarter: (.month, 3)
            case .year: (.month, 12)
            }
        let step = window.count * multiple
        if window.isRolling {
            guard let start = calendar.date(byAdding: component, value: -step, to: endDate) else { return nil }
            return (Instant(seconds: Int64(start.timeIntervalSince1970)), end)
        }
        // Calendar: the anchor is calendar.startTime in the calendar's zone.
        guard let text = window.calendarStart else { return nil }
        let parts = text.split(whereSeparator: { " -:T".contains($0) }).compactMap { Int($0) }
        guard parts.count >= 3,
            let anchor = calendar.date(
                from: DateComponents(
                    year: parts[0], month: parts[1], day: parts[2], hour: parts.count > 3 ? parts[3] : 0,
                    minute: parts.count > 4 ? parts[4] : 0, second: parts.count > 5 ? parts[5] : 0))
        else { return nil }
        let last = endDate.addingTimeInterval(-1)
        let elapsed = calendar.dateComponents([component], from: anchor, to: last).value(for: component) ?? 0
        let periods = Int((Double(elapsed) / Double(step)).rounded(.down))
        guard let start = calendar.date(byAdding: component, value: periods * step, to: anchor),
            let stop = calendar.date(byAdding: component, value: (periods + 1) * step, to: anchor)
        else { return nil }
        return (
            Instant(seconds: Int64(start.timeIntervalSince1970)), Instant(seconds: Int64(stop.timeIntervalSince1970))
        )
    }

    /// When the budget runs out at this week's burn rate: time left = budget left (a fraction of
    /// the window's budget) × the window's length ÷ the burn rate. A rolling window burning at
    /// most 1× never runs out; a calendar window may end first.
    static func exhaustion(
        consumedPercent: Double, burn: Double?, rolling: Bool, window: (start: Instant, end: Instant), from now: Instant
    ) -> SLOReport.Exhaustion {
        if consumedPercent >= 100 { return .exhausted }
        guard let burn, burn > 0 else { return .noBurn }
        if rolling && burn <= 1 { return .sustainable }
        let length = Double(window.end.seconds - window.start.seconds)
        let seconds = (1 - consumedPercent / 100) * length / burn
        // A calendar window's tiny burn puts the date centuries out: past the window's end, checked
        // in Double before it becomes an instant. A rolling window burning above 1× runs out within
        // one window length.
        let end = Double(now.seconds) + seconds.rounded(.up)
        guard end < Double(window.end.seconds) || rolling, let at = Int64(exactly: end) else {
            return .notBeforeWindowEnd(window.end)
        }
        return .at(Instant(seconds: at))
    }

    /// The workbook's alerts for a 30-day window: burn rate, long and short window, severity.
    static let workbookAlerts: [(burn: Double, long: Int, short: Int, severity: String)] = [
        (14.4, 3600, 300, "page"), (6, 21_600, 1800, "page"), (3, 86_400, 7200, "ticket"),
        (1, 259_200, 21_600, "ticket"),
    ]

    /// Multi-window, multi-burn-rate alerts (Google SRE workbook, chapter 5), for every budgeting
    /// method, over the same budget units as the budget: a data period's events (Occurrences) or a
    /// time slice counted as one unit (Timeslices, RatioTimeslices). The windows are scaled by the
    /// SLO window ÷ 30 days and rounded up to whole units (at least one: with hourly units the
    /// 5-minute short window becomes an hour). At the end of every unit of the report week, on the
    /// units' grid, an alert fires when Σ bad ÷ Σ total ÷ (1 − target) reaches its burn rate over
    /// both its long and its short window. Units without data count for nothing; an evaluation
    /// whose window has no data does not fire.
    static func burnAlerts(
        units: [BudgetUnit], unitSeconds: Int, windowSeconds: Int, target: Double, week: Range<Instant>
    ) -> [BurnAlert] {
        guard unitSeconds > 0, target < 1, let anchor = units.first?.start.seconds else { return [] }
        let step = Int64(unitSeconds)
        var byStart: [Int64: BudgetUnit] = [:]
        for unit in units { byStart[unit.start.seconds] = unit }
        let scale = Double(windowSeconds) / (30 * 86_400)
        func count(_ seconds: Int) -> Int64 { max(1, Int64((Double(seconds) * scale / Double(step)).rounded(.up))) }
        func rate(endingAt end: Int64, count: Int64) -> Double? {
            var bad = 0.0
            var total = 0.0
            for index in 1...count {
                if let unit = byStart[end - index * step] {
                    bad += unit.bad
                    total += unit.total
                }
            }
            return total > 0 ? bad / total / (1 - target) : nil
        }
        // The first end of a unit on the units' grid after the week starts.
        let offset = ((week.lowerBound.seconds - anchor) % step + step) % step
        let firstEnd = week.lowerBound.seconds - offset + step
        return workbookAlerts.map { alert in
            let long = count(alert.long)
            let short = count(alert.short)
            var episodes: [Range<Instant>] = []
            var highest: Point?
            var end = firstEnd
            while end <= week.upperBound.seconds {
                if let longBurn = rate(endingAt: end, count: long), let shortBurn = rate(endingAt: end, count: short) {
                    let both = min(longBurn, shortBurn)
                    if highest == nil || both > highest!.value {
                        highest = Point(time: Instant(seconds: end), value: both)
                    }
                    if both >= alert.burn {
                        let fired = Instant(seconds: end - step)..<Instant(seconds: end)
                        if let last = episodes.last, last.upperBound == fired.lowerBound {
                            episodes[episodes.count - 1] = last.lowerBound..<fired.upperBound
                        } else {
                            episodes.append(fired)
                        }
                    }
                }
                end += step
            }
            return BurnAlert(
                severity: alert.severity, burnRate: alert.burn, longWindowSeconds: Int(long) * unitSeconds,
                shortWindowSeconds: Int(short) * unitSeconds, episodes: episodes, highest: highest)
        }
    }

    /// The points of the series a CloudWatch metric source names (see `finestPoints`).
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
        return finestPoints(
            namespace: namespace, metric: metricName, stat: stat, dimensions: dimensions.sorted(), in: series)
    }
}
