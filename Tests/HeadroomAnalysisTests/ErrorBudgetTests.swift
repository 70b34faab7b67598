import Foundation
import HeadroomModel
import Testing

@testable import HeadroomAnalysis

@Suite struct ErrorBudgetTests {
    static let week = ISOWeek(year: 2026, week: 47).interval(in: TimeZone(identifier: "UTC")!)

    static func source(_ metric: String, stat: String = "Sum") -> MetricSource {
        MetricSource(
            type: "CloudWatch",
            spec: .map([
                DataEntry(key: "namespace", value: .text("AWS/Lambda")),
                DataEntry(key: "metricName", value: .text(metric)),
                DataEntry(key: "stat", value: .text(stat)),
                DataEntry(
                    key: "dimensions",
                    value: .list([
                        .map([
                            DataEntry(key: "name", value: .text("FunctionName")),
                            DataEntry(key: "value", value: .text("f")),
                        ])
                    ])),
            ]))
    }

    static func series(_ metric: String, points: [Point], file: String) -> MetricSeries {
        MetricSeries(
            identity: .metric(
                MetricStat(
                    namespace: "AWS/Lambda", metricName: metric,
                    dimensions: [MetricDimension(name: "FunctionName", value: "f")],
                    stat: "Sum", period: 3600)),
            label: metric, points: points, source: file)
    }

    /// Points `days` before the end of the report week.
    static func series(_ metric: String, _ points: [(days: Int64, value: Double)], file: String) -> MetricSeries {
        series(
            metric,
            points: points.map {
                Point(time: Instant(seconds: week.upperBound.seconds - $0.days * 86_400), value: $0.value)
            },
            file: file)
    }

    static func slo(
        _ indicator: ServiceLevelObjective.Indicator, days: Int = 7, budgeting: BudgetingMethod = .occurrences
    )
        -> ServiceLevelObjective
    {
        ServiceLevelObjective(
            name: "s", indicator: indicator, window: SLOWindow(count: days, unit: .day, isRolling: true),
            budgeting: budgeting,
            objectives: [SLOObjective(target: 0.99)], source: "slos/s.yaml")
    }

    static let sli = ServiceLevelIndicator(
        name: "f-errors", kind: .ratio(good: nil, bad: source("Errors"), total: source("Invocations"), counter: false),
        source: "slos/s.yaml")

    @Test func computesTheBudgetAcrossFiles() throws {
        // 14-day window: this week's file and last week's. 1,000 + 3,000 invocations, 10 + 50 errors.
        let dataset = Dataset(
            series: [
                Self.series("Invocations", [(1, 1000)], file: "w47.json"),
                Self.series("Errors", [(1, 10)], file: "w47.json"),
                Self.series("Invocations", [(8, 3000)], file: "w46.json"),
                Self.series("Errors", [(8, 50)], file: "w46.json"),
                Self.series("Invocations", [(20, 99_999)], file: "w44.json"),  // outside the window
            ],
            slos: [Self.slo(.reference("f-errors"), days: 14)], slis: [Self.sli])
        let w47 = ISOWeek(year: 2026, week: 47)
        let history = [w47.previous.previous, w47.previous, w47].map {
            (week: $0, interval: $0.interval(in: TimeZone(identifier: "UTC")!))
        }
        let report = try #require(Analysis.errorBudgets(dataset, week: Self.week, history: history).first)
        // Each week on its own: W45 holds the 99,999 invocations outside the 14-day window (and no
        // errors), W46 2,950 of 3,000 good, W47 990 of 1,000.
        #expect(
            report.weekly == [
                WeeklyAttainment(week: w47.previous.previous, attainment: 1),
                WeeklyAttainment(week: w47.previous, attainment: 2950.0 / 3000.0),
                WeeklyAttainment(week: w47, attainment: 0.99),
            ])
        #expect(report.status == .computed)
        #expect(report.total == 4000)
        #expect(report.good == 3940)
        #expect(report.attainment == 3940.0 / 4000.0)
        #expect(abs(report.budgetEvents! - 40) < 1e-9)  // (1 − 0.99) × 4,000
        #expect(abs(report.budgetConsumedPercent! - 150) < 1e-9)  // 60 ÷ 40
        #expect(abs(report.weekBurnRate! - 1) < 1e-9)  // (10 ÷ 1,000) ÷ 0.01
    }

    @Test func saysNoDataAndWhatIsNotComputedYet() throws {
        let empty = Dataset(
            series: [Self.series("Invocations", [], file: "a"), Self.series("Errors", [], file: "a")], slis: [Self.sli])
        var dataset = empty
        dataset.slos = [Self.slo(.reference("f-errors"))]
        #expect(Analysis.errorBudgets(dataset, week: Self.week).first?.status == .noData)
        dataset.slos = [Self.slo(.reference("nowhere"))]
        #expect(Analysis.errorBudgets(dataset, week: Self.week).first?.status == .notComputed("no SLI named nowhere"))
        dataset.slos = [Self.slo(.inline(Self.sli), budgeting: .timeslices)]
        #expect(
            Analysis.errorBudgets(dataset, week: Self.week).first?.status
                == .notComputed("Timeslices budgeting without timeSliceWindow"))
        dataset.slos = [Self.slo(.inline(Self.sli))]
        dataset.series = []
        #expect(
            Analysis.errorBudgets(dataset, week: Self.week).first?.status
                == .notComputed("a metric source that is not a single CloudWatch metric in the data"))
    }
}

/// Timeslices, RatioTimeslices, threshold indicators, calendar windows, the burn-rate series and
/// the exhaustion projection, each computed by hand.
@Suite struct BudgetingMethodTests {
    static let week = ErrorBudgetTests.week
    /// Hour `h` of the report week (UTC).
    static func hour(_ h: Int64) -> Instant { Instant(seconds: week.lowerBound.seconds + h * 3600) }

    static func series(_ metric: String, _ values: [(Int64, Double)], stat: String = "Sum") -> MetricSeries {
        MetricSeries(
            identity: .metric(
                MetricStat(
                    namespace: "AWS/Lambda", metricName: metric,
                    dimensions: [MetricDimension(name: "FunctionName", value: "f")], stat: stat, period: 3600)),
            label: metric, points: values.map { Point(time: hour($0.0), value: $0.1) }, source: "cw.json")
    }

    static func slo(
        _ kind: ServiceLevelIndicator.Kind, _ budgeting: BudgetingMethod, _ objective: SLOObjective,
        window: SLOWindow = SLOWindow(count: 7, unit: .day, isRolling: true)
    ) -> ServiceLevelObjective {
        ServiceLevelObjective(
            name: "s", indicator: .inline(ServiceLevelIndicator(name: "i", kind: kind, source: "slo.yaml")),
            window: window, budgeting: budgeting, objectives: [objective], source: "slo.yaml")
    }

    /// Four hours: 100 requests each, with 0, 2, 10 and 1 errors.
    static let data = [
        series("Invocations", [(0, 100), (1, 100), (2, 100), (3, 100)]),
        series("Errors", [(0, 0), (1, 2), (2, 10), (3, 1)]),
    ]
    static let ratio = ServiceLevelIndicator.Kind.ratio(
        good: nil, bad: ErrorBudgetTests.source("Errors"), total: ErrorBudgetTests.source("Invocations"), counter: false
    )

    func budget(_ slo: ServiceLevelObjective, series: [MetricSeries] = Self.data) throws -> SLOReport {
        try #require(Analysis.errorBudgets(Dataset(series: series, slos: [slo]), week: Self.week).first)
    }

    @Test func timeslicesCountGoodSlices() throws {
        // Hourly slices need 98% good: hours 0, 1 (98%), 3 (99%) are good, hour 2 (90%) is bad.
        let report = try budget(
            Self.slo(
                Self.ratio, .timeslices, SLOObjective(target: 0.9, timeSliceTarget: 0.98, timeSliceWindowSeconds: 3600))
        )
        #expect(report.status == .computed)
        #expect(report.total == 4 && report.good == 3 && report.attainment == 0.75)
        // Budget: (1 − 0.9) × 4 slices = 0.4 slice; 1 bad slice is 250 %.
        #expect(abs(report.budgetEvents! - 0.4) < 1e-12)
        #expect(abs(report.budgetConsumedPercent! - 250) < 1e-9)
        #expect(report.exhaustion == .exhausted)
        // Burn per slice: 0 or 1 ÷ 0.1 = 10.
        #expect(report.burnSeries.map { ($0.value * 1e9).rounded() / 1e9 } == [0, 0, 10, 0])
        // Alerts over hourly slices, windows scaled to 7 days: 14.4× (1 h, 1 h) and 6× (2 h, 1 h)
        // stay below (10× at most, 5× over two slices); 3× over 6 h and 1 h fires at the end of
        // hour 2 (1 bad of 3 slices, 3.33×); 1× over 17 h and 2 h fires at the ends of hours 2 and 3.
        #expect(report.alerts.map(\.episodes.isEmpty) == [true, true, false, false])
        #expect(abs(report.alerts[0].highest!.value - 10) < 1e-9)
        #expect(report.alerts[2].episodes == [Self.hour(2)..<Self.hour(3)])
        #expect(report.alerts[3].episodes == [Self.hour(2)..<Self.hour(4)])
        // Two-hour slices: (0+2)/200 = 99 % good, (10+1)/200 = 94.5 % bad.
        let wide = try budget(
            Self.slo(
                Self.ratio, .timeslices, SLOObjective(target: 0.9, timeSliceTarget: 0.98, timeSliceWindowSeconds: 7200))
        )
        #expect(wide.total == 2 && wide.good == 1)
        let odd = try budget(
            Self.slo(
                Self.ratio, .timeslices, SLOObjective(target: 0.9, timeSliceTarget: 0.98, timeSliceWindowSeconds: 300)))
        #expect(odd.status == .notComputed("a timeSliceWindow of 300 s, not a whole number of the 3600 s data periods"))
    }

    @Test func ratioTimeslicesAverageTheSliceRatios() throws {
        let report = try budget(
            Self.slo(Self.ratio, .ratioTimeslices, SLOObjective(target: 0.95, timeSliceWindowSeconds: 3600)))
        // Ratios 1, 0.98, 0.9, 0.99: mean 0.9675; bad units 0 + 0.02 + 0.1 + 0.01 = 0.13 of 4.
        #expect(abs(report.attainment! - 0.9675) < 1e-12)
        #expect(abs(report.budgetConsumedPercent! - 0.13 / (0.05 * 4) * 100) < 1e-9)
        #expect(abs(report.weekBurnRate! - (0.13 / 4) / 0.05) < 1e-12)
    }

    @Test func thresholdIndicatorsCompareEachSlicesWorstValue() throws {
        let latency = ErrorBudgetTests.source("Duration", stat: "p99")
        let series = [Self.series("Duration", [(0, 400), (1, 520), (2, 480), (5, 700)], stat: "p99")]
        // p99 < 500 ms per hour: 400 and 480 are good, 520 and 700 bad; hours 3 and 4 have no data.
        let report = try budget(
            Self.slo(
                .threshold(latency), .timeslices,
                SLOObjective(op: "lt", value: 500, target: 0.5, timeSliceTarget: 1, timeSliceWindowSeconds: 3600)),
            series: series)
        #expect(report.total == 4 && report.good == 2)
        #expect(report.burnSeries.map(\.time) == [0, 1, 2, 5].map(Self.hour))
        // Two-hour slices take the worst hour: [400, 520] bad, [480] good, [700] bad.
        let wide = try budget(
            Self.slo(
                .threshold(latency), .timeslices,
                SLOObjective(op: "lt", value: 500, target: 0.5, timeSliceTarget: 1, timeSliceWindowSeconds: 7200)),
            series: series)
        #expect(wide.total == 3 && wide.good == 1)
        let occurrences = try budget(
            Self.slo(.threshold(latency), .occurrences, SLOObjective(op: "lt", value: 500, target: 0.5)),
            series: series)
        #expect(occurrences.status == .notComputed("a threshold indicator needs Timeslices budgeting"))
    }

    @Test func calendarWindowsRunFromThePeriodStartInTheirZone() throws {
        let end = Self.week.upperBound  // Monday 23 November 2026, 00:00 UTC
        let berlin = TimeZone(identifier: "Europe/Berlin")!
        let month = SLOWindow(
            count: 1, unit: .month, isRolling: false, calendarStart: "2026-01-01 00:00:00", timeZone: "Europe/Berlin")
        let window = try #require(Analysis.sloWindow(month, end: end, zone: .gmt))
        // 1 November 00:00 in Berlin (UTC+1) is 31 October 23:00 UTC; the month ends 30 November 23:00 UTC.
        #expect(window.start == Instant(seconds: 1_793_487_600))
        #expect(window.end == Instant(seconds: 1_796_079_600))
        // A quarter from 1 January: October to December.
        let quarter = SLOWindow(count: 1, unit: .quarter, isRolling: false, calendarStart: "2026-01-01 00:00:00")
        #expect(Analysis.sloWindow(quarter, end: end, zone: berlin)?.start == Instant(seconds: 1_790_805_600))
        // Two-week periods counted from Monday 2 November: 16–29 November.
        let fortnight = SLOWindow(count: 2, unit: .week, isRolling: false, calendarStart: "2026-11-02 00:00:00")
        #expect(
            Analysis.sloWindow(fortnight, end: end, zone: .gmt)?.start == Instant(seconds: 1_793_577_600 + 14 * 86_400))
        // A rolling month: back one calendar month.
        let rolling = SLOWindow(count: 1, unit: .month, isRolling: true)
        #expect(Analysis.sloWindow(rolling, end: end, zone: .gmt)?.start == Instant(seconds: end.seconds - 31 * 86_400))
    }

    @Test func aCalendarWindowsBudgetIsThatOfTheWholePeriod() throws {
        // Two-week periods from Monday 16 November (UTC): the report week is the first half.
        // 4 hours × 100 requests with 13 errors; 99 % over the fortnight allows 1 % of the
        // requests so far projected over both weeks: 0.01 × 400 × 2 = 8 errors.
        let fortnight = SLOWindow(count: 2, unit: .week, isRolling: false, calendarStart: "2026-11-16 00:00:00")
        let report = try budget(
            Self.slo(Self.ratio, .occurrences, SLOObjective(target: 0.99), window: fortnight))
        #expect(abs(report.budgetEvents! - 8) < 1e-9)
        #expect(abs(report.budgetConsumedPercent! - 13 / 8 * 100) < 1e-9)
        #expect(report.exhaustion == .exhausted)
        // The burn-down: the budget left after each hour, from 100 % down by each hour's errors.
        #expect(report.budgetSeries.map(\.time) == (0...3).map(Self.hour))
        #expect(report.budgetSeries.map { ($0.value * 1e9).rounded() / 1e9 } == [100, 75, -50, -62.5])
        // With a rolling window the same data allow 1 % of 400 = 4 errors.
        let rolling = try budget(Self.slo(Self.ratio, .occurrences, SLOObjective(target: 0.99)))
        #expect(abs(rolling.budgetEvents! - 4) < 1e-9)
        #expect(rolling.budgetSeries.last.map { ($0.value * 1e9).rounded() / 1e9 } == -225)
    }

    @Test func exhaustionAtTheCurrentBurn() {
        let now = Instant(seconds: 1_000_000)
        let window = (start: Instant(seconds: 1_000_000 - 10 * 86_400), end: Instant(seconds: 1_000_000 + 20 * 86_400))
        // Rolling 30 days, 40 % spent, burning 4×: 60 % × 30 days ÷ 4 = 4.5 days.
        let rolling = (start: Instant(seconds: 1_000_000 - 30 * 86_400), end: now)
        #expect(
            Analysis.exhaustion(consumedPercent: 40, burn: 4, rolling: true, window: rolling, from: now)
                == .at(Instant(seconds: 1_000_000 + 4 * 86_400 + 43_200)))
        #expect(
            Analysis.exhaustion(consumedPercent: 40, burn: 1, rolling: true, window: rolling, from: now) == .sustainable
        )
        #expect(
            Analysis.exhaustion(consumedPercent: 100, burn: 0, rolling: true, window: rolling, from: now) == .exhausted)
        #expect(Analysis.exhaustion(consumedPercent: 10, burn: 0, rolling: true, window: rolling, from: now) == .noBurn)
        // Calendar 30 days, 10 left: 60 % × 30 days ÷ 2 = 9 days, inside; ÷ 0.5 = 36 days, after the end.
        #expect(
            Analysis.exhaustion(consumedPercent: 40, burn: 2, rolling: false, window: window, from: now)
                == .at(Instant(seconds: 1_000_000 + 9 * 86_400)))
        #expect(
            Analysis.exhaustion(consumedPercent: 40, burn: 0.5, rolling: false, window: window, from: now)
                == .notBeforeWindowEnd(window.end))
        // A burn of 1e-30 (one bad event in 10^30) puts the date beyond any instant: no trap.
        #expect(
            Analysis.exhaustion(consumedPercent: 0, burn: 1e-30, rolling: false, window: window, from: now)
                == .notBeforeWindowEnd(window.end))
    }
}

@Suite struct DaylightSavingTests {
    /// 2026-W43 in Europe/Berlin has 169 hours (clocks go back on 25 October): a 7-day window that
    /// ends with the week starts an hour after the week does, and the week's own figures cover all
    /// 169 hours.
    @Test func aWeekWithAnExtraHour() throws {
        let zone = TimeZone(identifier: "Europe/Berlin")!
        let w43 = ISOWeek(year: 2026, week: 43)
        let interval = w43.interval(in: zone)
        #expect(interval.upperBound.seconds - interval.lowerBound.seconds == 169 * 3600)
        let hours = (0..<169).map { Instant(seconds: interval.lowerBound.seconds + Int64($0) * 3600) }
        func series(_ metric: String, _ value: (Int) -> Double) -> MetricSeries {
            ErrorBudgetTests.series(
                metric, points: hours.enumerated().map { Point(time: $1, value: value($0)) }, file: "w43.json")
        }
        // 10 invocations every hour; the first hour of the week fails completely.
        let dataset = Dataset(
            series: [series("Invocations") { _ in 10 }, series("Errors") { $0 == 0 ? 10 : 0 }],
            slos: [ErrorBudgetTests.slo(.inline(ErrorBudgetTests.sli))])
        let report = try #require(
            Analysis.errorBudgets(dataset, week: interval, history: [(week: w43, interval: interval)]).first)
        // The 7-day (168 h) window misses the first hour; the week (169 h) holds it.
        #expect(report.total == 1680)
        #expect(report.good == 1680)
        #expect(report.weekly == [WeeklyAttainment(week: w43, attainment: 1680.0 / 1690.0)])
        let figures = Analysis.figures(dataset.series, in: interval)
        #expect(figures.invocations == 1690)
        #expect(figures.activeHours == 169)
    }
}

@Suite struct BurnAlertTests {
    @Test func firesWhenBothWindowsBurnFastEnough() {
        let week = ISOWeek(year: 2026, week: 47).interval(in: TimeZone(identifier: "UTC")!)
        let start = week.lowerBound.seconds
        // 100 requests every hour of the week; hours 10 to 12 fail half of them (a 50× burn of a 99% objective).
        let total = (0..<168).map { Point(time: Instant(seconds: start + Int64($0) * 3600), value: 100) }
        let bad = (0..<168).map {
            Point(time: Instant(seconds: start + Int64($0) * 3600), value: (10...12).contains($0) ? 50 : 0)
        }
        func units(_ bad: [Point]) -> [Analysis.BudgetUnit] {
            zip(bad, total).map { Analysis.BudgetUnit(start: $0.time, bad: $0.value, total: $1.value) }
        }
        let alerts = Analysis.burnAlerts(
            units: units(bad), unitSeconds: 3600, windowSeconds: 30 * 86_400, target: 0.99, week: week)
        let hour = { (h: Int64) in Instant(seconds: start + h * 3600) }
        // 14.4× over 1 h and 5 min (one hourly period each): the three failing hours.
        #expect(alerts[0].longWindowSeconds == 3600)
        #expect(alerts[0].shortWindowSeconds == 3600)
        #expect(alerts[0].episodes == [hour(10)..<hour(13)])
        // 6× over 6 h and 30 min: the long window keeps burning ≥ 6× for a while, but the short
        // window (1 h) stops at hour 13.
        #expect(alerts[1].longWindowSeconds == 21_600)
        #expect(alerts[1].episodes == [hour(10)..<hour(13)])
        // 3× over 1 d and 2 h: over 24 h, 150 of 2,400 fail (6.25×) while the 2 h window also burns.
        #expect(alerts[2].episodes == [hour(10)..<hour(14)])
        // Scaled to a 7-day SLO window, 1 h stays the floor of both 14.4× windows.
        let weekly = Analysis.burnAlerts(
            units: units(bad), unitSeconds: 3600, windowSeconds: 7 * 86_400, target: 0.99, week: week)
        #expect(weekly[3].longWindowSeconds == 17 * 3600)  // 3 days × 7/30 = 16.8 h, rounded up
        // Each alert says the highest burn both its windows reached: 50× over the failing hours
        // for the 1 h windows; 150 bad of 600 over 6 h is 25×, capped by the 1 h short window's 50×.
        #expect(abs(alerts[0].highest!.value - 50) < 1e-9)
        #expect(abs(alerts[1].highest!.value - 25) < 1e-9)
        #expect(alerts[1].highest!.time == hour(13))
        let quiet = Analysis.burnAlerts(
            units: units(total.map { Point(time: $0.time, value: 0) }), unitSeconds: 3600,
            windowSeconds: 30 * 86_400, target: 0.99, week: week)
        #expect(quiet.allSatisfy { $0.episodes.isEmpty && $0.highest?.value == 0 })
        #expect(
            Analysis.burnAlerts(units: [], unitSeconds: 3600, windowSeconds: 86_400, target: 0.99, week: week).isEmpty)
    }

    /// The example's Timeslices latency SLO burned at 20× for days while its page said no alert
    /// fired: alerts were evaluated for Occurrences only. Every budgeting method now gets them.
    @Test func timeSliceObjectivesGetAlertsToo() throws {
        // Hourly p99 latency: 200 ms, but 900 ms from Wednesday 00:00 for 12 hours; at most 500 ms
        // in 95% of the hourly slices over a 28-day window.
        let latency = BudgetingMethodTests.series(
            "Duration", (0..<168).map { ($0, (48..<60).contains($0) ? 900 : 200) }, stat: "p99")
        let report = try #require(
            Analysis.errorBudgets(
                Dataset(
                    series: [latency],
                    slos: [
                        BudgetingMethodTests.slo(
                            .threshold(ErrorBudgetTests.source("Duration", stat: "p99")), .timeslices,
                            SLOObjective(op: "lte", value: 500, target: 0.95, timeSliceWindowSeconds: 3600),
                            window: SLOWindow(count: 28, unit: .day, isRolling: true))
                    ]), week: BudgetingMethodTests.week
            ).first)
        let hour = BudgetingMethodTests.hour
        #expect(report.status == .computed)
        // Hourly slices: 12 bad of 168 this week; a bad slice burns 1 ÷ 0.05 = 20×.
        #expect(report.alerts.count == 4)
        let page = report.alerts[0]
        #expect(page.burnRate == 14.4 && page.longWindowSeconds == 3600 && page.shortWindowSeconds == 3600)
        #expect(page.episodes == [hour(48)..<hour(60)])
        #expect(abs(page.highest!.value - 20) < 1e-9)
        // 6× over 6 h (5.6 h scaled, rounded up to 6 slices) and 1 h: fires from the 2nd bad hour
        // (2 of 6 slices = 6.67×) until the long window holds fewer than 2 bad slices.
        #expect(report.alerts[1].longWindowSeconds == 6 * 3600)
        #expect(report.alerts[1].episodes == [hour(49)..<hour(60)])
    }
}
