import Foundation
import HeadroomModel
import Testing

@testable import HeadroomAnalysis

@Suite struct QuotaTests {
    static let zone = TimeZone(identifier: "UTC")!
    static let week = ISOWeek(year: 2026, week: 47)

    /// One point per week (Tuesday noon) with the given peaks, oldest first, ending with `week`.
    static func account(_ peaks: [Double], extra: [Double] = []) -> MetricSeries {
        var points: [Point] = []
        var start = week
        for _ in 1..<peaks.count { start = start.previous }
        var current = start
        for peak in peaks {
            points.append(Point(time: Instant(seconds: (current.mondayDays + 1) * 86_400 + 43_200), value: peak))
            current = current.next
        }
        for (index, value) in extra.enumerated() {
            points.append(
                Point(time: Instant(seconds: (week.mondayDays + 2) * 86_400 + Int64(index) * 3600), value: value))
        }
        return MetricSeries(
            identity: .metric(
                MetricStat(
                    namespace: "AWS/Lambda", metricName: "ConcurrentExecutions", dimensions: [], stat: "Maximum",
                    period: 3600)),
            label: "account", points: points.sorted { $0.time < $1.time }, source: "cw.json")
    }

    func report(_ series: MetricSeries, limit: Int = 200) -> QuotaReport? {
        let dataset = Dataset(
            series: [series],
            accountSettings: [LambdaAccountSettings(concurrentExecutionsLimit: limit, source: "settings.json")])
        return Analysis.quotaHeadroom(dataset, week: Self.week, zone: Self.zone, thresholds: .init()).first
    }

    @Test func utilisationStatusAndALinearProjection() throws {
        // Peaks 110, 120, …, 170: slope 10 a week; the line reaches 200 three weeks after 170.
        let quota = try #require(report(Self.account([110, 120, 130, 140, 150, 160, 170])))
        #expect(quota.name == "Concurrent executions")
        #expect(quota.peak == 170)
        #expect(quota.utilisation == 85)
        #expect(quota.status == .warning)
        #expect(quota.projection == .week(ISOWeek(year: 2026, week: 50)))
        #expect(quota.weeklyPeaks.count == 7)
    }

    @Test func p95IsTheNearestRankOfTheWeeksValues() throws {
        // This week: 170 plus 19 more values 1…19: 20 values, the 95th percentile is the 19th smallest.
        let quota = try #require(report(Self.account([160, 165, 170], extra: (1...19).map(Double.init))))
        #expect(quota.p95 == 19)
    }

    @Test func statusesAndProjectionsAtTheEdges() throws {
        #expect(report(Self.account([100, 100, 250]))?.status == .critical)
        #expect(report(Self.account([100, 100, 250]))?.projection == .reached)
        #expect(report(Self.account([150, 140, 130]))?.projection == .notGrowing)
        #expect(report(Self.account([100, 101]))?.projection == .tooFewWeeks)
        #expect(report(Self.account([10, 11, 12]))?.projection == .notWithin(weeks: 13))
        #expect(report(Self.account([10, 11, 12]))?.status == .ok)
        #expect(
            report(
                MetricSeries(
                    identity: .metric(
                        MetricStat(
                            namespace: "AWS/Lambda", metricName: "ConcurrentExecutions", dimensions: [],
                            stat: "Maximum", period: 3600)),
                    label: "a", points: [], source: "x"))?.status == .noData)
    }
}
