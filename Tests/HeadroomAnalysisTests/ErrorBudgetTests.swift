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

    static func series(_ metric: String, _ points: [(days: Int64, value: Double)], file: String) -> MetricSeries {
        MetricSeries(
            identity: .metric(
                MetricStat(
                    namespace: "AWS/Lambda", metricName: metric,
                    dimensions: [MetricDimension(name: "FunctionName", value: "f")],
                    stat: "Sum", period: 3600)),
            label: metric,
            points: points.map {
                Point(time: Instant(seconds: week.upperBound.seconds - $0.days * 86_400), value: $0.value)
            },
            source: file)
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
        let report = try #require(Analysis.errorBudgets(dataset, week: Self.week).first)
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
