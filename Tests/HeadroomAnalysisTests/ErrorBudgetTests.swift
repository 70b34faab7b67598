import Foundation
import HeadroomModel
import Testing

@testable import HeadroomAnalysis

@Suite struct ErrorBudgetTests {
    static let week = ISOWeek(year: 2026, week: 47).interval(in: TimeZone(identifier: "UTC")!)

    static func source(_ metric: String) -> MetricSource {
        MetricSource(
            type: "CloudWatch",
            spec: .map([
                DataEntry(key: "namespace", value: .text("AWS/Lambda")),
                DataEntry(key: "metricName", value: .text(metric)),
                DataEntry(key: "stat", value: .text("Sum")),
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
        #expect(Analysis.errorBudgets(dataset, week: Self.week).first?.status == .notComputed("Timeslices budgeting"))
        dataset.slos = [Self.slo(.inline(Self.sli))]
        dataset.series = []
        #expect(
            Analysis.errorBudgets(dataset, week: Self.week).first?.status
                == .notComputed("a metric source that is not a single CloudWatch metric in the data"))
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
        let alerts = Analysis.burnAlerts(
            bad: bad, good: nil, total: total, period: 3600, windowSeconds: 30 * 86_400, target: 0.99, week: week)
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
            bad: bad, good: nil, total: total, period: 3600, windowSeconds: 7 * 86_400, target: 0.99, week: week)
        #expect(weekly[3].longWindowSeconds == 17 * 3600)  // 3 days × 7/30 = 16.8 h, rounded up
        let quiet = Analysis.burnAlerts(
            bad: total.map { Point(time: $0.time, value: 0) }, good: nil, total: total, period: 3600,
            windowSeconds: 30 * 86_400,
            target: 0.99, week: week)
        #expect(quiet.allSatisfy { $0.episodes.isEmpty })
    }
}
