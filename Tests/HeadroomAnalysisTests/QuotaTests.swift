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

    static func hourly(
        _ namespace: String, _ metric: String, _ stat: String, _ dimensions: [(String, String)],
        _ points: [(hour: Int64, value: Double)]
    ) -> MetricSeries {
        MetricSeries(
            identity: .metric(
                MetricStat(
                    namespace: namespace, metricName: metric,
                    dimensions: dimensions.map { MetricDimension(name: $0.0, value: $0.1) }, stat: stat, period: 3600)),
            label: metric,
            points: points.map {
                Point(time: Instant(seconds: week.mondayDays * 86_400 + $0.hour * 3600), value: $0.value)
            },
            source: "cw.json")
    }

    @Test func unreservedConcurrencySubtractsTheReservedFunctionsHourByHour() throws {
        let fn = ("FunctionName", "payment")
        let dataset = Dataset(
            series: [
                Self.hourly("AWS/Lambda", "ConcurrentExecutions", "Maximum", [], [(1, 50), (2, 90), (3, 80)]),
                // Reserved function: 8 in hour 2, no datapoint in hour 3 (subtracts nothing).
                Self.hourly("AWS/Lambda", "ConcurrentExecutions", "Maximum", [fn], [(1, 4), (2, 8)]),
            ],
            accountSettings: [
                LambdaAccountSettings(
                    concurrentExecutionsLimit: 200, unreservedConcurrentExecutions: 100, source: "settings.json")
            ],
            reservedConcurrency: [ReservedConcurrency(function: "payment", reserved: 100, source: "c.json")])
        let quotas = Analysis.quotaHeadroom(dataset, week: Self.week, zone: Self.zone, thresholds: .init())
        let unreserved = try #require(quotas.first { $0.code == "unreserved-concurrency" })
        // Hours: 50 − 4 = 46, 90 − 8 = 82, 80 − 0 = 80; peak 82 of 100.
        #expect(unreserved.limit == 100)
        #expect(unreserved.peak == 82)
        #expect(unreserved.status == .warning)
        #expect(unreserved.usage.contains("payment (reserved 100)"))
        #expect(quotas.first { $0.code == "L-B99A9384" }?.peak == 90)
    }

    @Test func provisionedCapacityIsConsumedPerSecondAgainstTheWeeksHighestProvisioned() throws {
        let catalog = ServiceCatalog(namespaces: [
            .init(
                namespace: "AWS/DynamoDB", kind: "table", resource: ["TableName"],
                metrics: [
                    .init(
                        name: "ConsumedWriteCapacityUnits", stat: "Sum", unit: "Count", role: .capacity, bad: .higher,
                        rollup: .sum, against: "ProvisionedWriteCapacityUnits"),
                    .init(
                        name: "ProvisionedWriteCapacityUnits", stat: "Average", unit: "Count", role: .traffic,
                        bad: .none, rollup: .max),
                ])
        ])
        let table = ("TableName", "orders")
        let dataset = Dataset(series: [
            // 36,000 units in an hour = 10 per second; 90,000 = 25 per second.
            Self.hourly("AWS/DynamoDB", "ConsumedWriteCapacityUnits", "Sum", [table], [(1, 36_000), (2, 90_000)]),
            Self.hourly("AWS/DynamoDB", "ProvisionedWriteCapacityUnits", "Average", [table], [(1, 20), (2, 40)]),
            // On-demand table: no provisioned series, no quota.
            Self.hourly("AWS/DynamoDB", "ConsumedWriteCapacityUnits", "Sum", [("TableName", "carts")], [(1, 1)]),
        ])
        let quotas = Analysis.quotaHeadroom(
            dataset, week: Self.week, zone: Self.zone, thresholds: .init(), catalog: catalog)
        #expect(quotas.count == 1)
        let quota = try #require(quotas.first)
        #expect(quota.name == "orders: ProvisionedWriteCapacityUnits")
        #expect(quota.limit == 40)
        #expect(quota.peak == 25)
        #expect(quota.utilisation == 62.5)
    }

    @Test func trustedAdvisorServiceLimitRowsAreQuotasWithOneReadingPerResult() throws {
        let check = TrustedAdvisorCheck(
            id: "oQ7TT0l7J9", name: "IAM Roles", category: "service_limits",
            columns: ["Region", "Service", "Limit Name", "Limit Amount", "Current Usage", "Status"],
            source: "checks.json")
        func row(_ day: Int64, usage: String, limit: String = "1000", resource: String = "r1") -> Finding {
            Finding(
                tool: .trustedAdvisor, id: "oQ7TT0l7J9:\(resource)", ruleId: "oQ7TT0l7J9", title: "oQ7TT0l7J9",
                pillar: nil, severity: .medium, status: .failed, resource: resource,
                observedAt: Instant(seconds: (Self.week.mondayDays + day) * 86_400),
                details: ["-", "IAM", "Roles", limit, usage, "Yellow"].enumerated().map {
                    DataEntry(key: String($0.offset), value: .text($0.element))
                }, source: "ta-\(day).json")
        }
        let dataset = Dataset(
            findings: [
                row(-14, usage: "700"), row(-7, usage: "800"), row(0, usage: "850"), row(0, usage: "850"),
                // Usage not a number: the quota stays, its usage not known.
                row(0, usage: "n/a", resource: "r2"),
            ],
            trustedAdvisorChecks: [check])
        let quotas = Analysis.quotaHeadroom(dataset, week: Self.week, zone: Self.zone, thresholds: .init())
        #expect(quotas.count == 2)
        #expect(quotas[1].status == .noData && quotas[1].peak == nil && quotas[1].limit == 1000)
        let quota = try #require(quotas.first)
        #expect(quota.service == "IAM" && quota.name == "Roles (-)" && quota.code == "oQ7TT0l7J9")
        #expect(quota.peak == 850 && quota.utilisation == 85 && quota.status == .warning)
        #expect(quota.weeklyPeaks.map(\.peak) == [700, 800, 850])
        // Slope 75 a week from 850: 1,000 is reached two weeks later.
        #expect(quota.projection == .week(ISOWeek(year: 2026, week: 49)))
        #expect(quota.source == "ta-0.json")
    }
}
