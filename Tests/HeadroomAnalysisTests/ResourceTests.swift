import Foundation
import HeadroomModel
import Testing

@testable import HeadroomAnalysis

/// Catalog-driven signals and health of resources other than functions, computed by hand.
@Suite struct ResourceTests {
    static let zone = "UTC"
    static let week = ISOWeek(year: 2026, week: 47)
    static var interval: Range<Instant> { week.interval(in: TimeZone(identifier: zone)!) }
    static func hour(_ h: Int64) -> Int64 { interval.lowerBound.seconds + h * 3600 }

    static let catalog = ServiceCatalog(namespaces: [
        .init(
            namespace: "AWS/ApiGateway", kind: "api", resource: ["ApiName"], aggregate: ["Stage"],
            metrics: [
                .init(name: "Count", stat: "Sum", unit: "Count", role: .volume, bad: .none, rollup: .sum),
                .init(
                    name: "5XXError", stat: "Sum", unit: "Count", role: .errors, bad: .higher, rollup: .sum,
                    percentOf: "Count"),
                .init(name: "Latency", stat: "p99", unit: "Milliseconds", role: .latency, bad: .higher, rollup: .max),
            ]),
        .init(
            namespace: "AWS/SQS", kind: "queue", resource: ["QueueName"],
            metrics: [
                .init(
                    name: "NumberOfMessagesSent", stat: "Sum", unit: "Count", role: .volume, bad: .none, rollup: .sum),
                .init(
                    name: "ApproximateAgeOfOldestMessage", stat: "Maximum", unit: "Seconds", role: .backlog,
                    bad: .higher, rollup: .max, warning: 900, critical: 3600),
            ]),
        .init(
            namespace: "AWS/DynamoDB", kind: "table", resource: ["TableName"], aggregate: ["Operation"],
            metrics: [
                .init(
                    name: "ThrottledRequests", stat: "Sum", unit: "Count", role: .throttles, bad: .higher, rollup: .sum),
                .init(
                    name: "SuccessfulRequestLatency", stat: "Average", unit: "Milliseconds", role: .latency,
                    bad: .higher, rollup: .max),
            ]),
    ])

    static func series(
        _ namespace: String, _ metric: String, _ stat: String, _ dimensions: [(String, String)],
        _ points: [(Int64, Double)]
    ) -> MetricSeries {
        MetricSeries(
            identity: .metric(
                MetricStat(
                    namespace: namespace, metricName: metric,
                    dimensions: dimensions.map { MetricDimension(name: $0.0, value: $0.1) }, stat: stat, period: 3600)),
            label: metric, points: points.map { Point(time: Instant(seconds: $0.0), value: $0.1) },
            source: "snapshots/\(namespace.dropFirst(4)).json")
    }

    func report(_ series: [MetricSeries], configuration: Configuration = Configuration()) -> Report {
        var configuration = configuration
        configuration.week = Self.week
        return Analysis.report(Dataset(series: series), configuration: configuration, catalog: Self.catalog)
    }

    @Test func apiErrorsAreAPercentageOfCountWithTheVolumeScaledRule() throws {
        let api = [("ApiName", "orders-api")]
        let report = report([
            Self.series("AWS/ApiGateway", "Count", "Sum", api, [(Self.hour(0), 40_000), (Self.hour(5), 60_000)]),
            Self.series("AWS/ApiGateway", "5XXError", "Sum", api, [(Self.hour(0), 120), (Self.hour(5), 80)]),
            Self.series("AWS/ApiGateway", "Latency", "p99", api, [(Self.hour(0), 310), (Self.hour(5), 290)]),
            // The week before: 50,000 requests.
            Self.series("AWS/ApiGateway", "Count", "Sum", api, [(Self.hour(-24), 50_000)]),
        ])
        let resource = try #require(report.services.first?.resources.first)
        #expect(resource.kind == "api" && resource.name == "orders-api" && resource.service == "Unassigned")
        let count = try #require(resource.signals.first { $0.metric.name == "Count" })
        #expect(count.current == 100_000 && count.previous == 50_000)
        let errors = try #require(resource.signals.first { $0.metric.name == "5XXError" })
        // 200 ÷ 100,000 × 100 = 0.2 %: above the 0.1 % floor, below ten times it.
        #expect(errors.current == 200 && errors.percent == 0.2)
        #expect(resource.signals.first { $0.metric.name == "Latency" }?.current == 310)
        #expect(resource.health.level == .warning)
        #expect(resource.health.reasons == ["5XXError at 0.20% of requests is above the 0.10% floor"])
    }

    @Test func splitSeriesAreCombinedOnlyWithoutAnUnsplitOne() throws {
        let table = ("TableName", "orders")
        let report = report([
            Self.series(
                "AWS/DynamoDB", "ThrottledRequests", "Sum", [table, ("Operation", "PutItem")], [(Self.hour(1), 3)]),
            Self.series(
                "AWS/DynamoDB", "ThrottledRequests", "Sum", [table, ("Operation", "Query")], [(Self.hour(2), 4)]),
            Self.series(
                "AWS/DynamoDB", "SuccessfulRequestLatency", "Average", [table, ("Operation", "GetItem")],
                [(Self.hour(1), 2.5), (Self.hour(2), 3.5)]),
            Self.series(
                "AWS/DynamoDB", "SuccessfulRequestLatency", "Average", [table, ("Operation", "Query")],
                [(Self.hour(1), 9.0)]),
            // A dimension the catalog does not aggregate: ignored.
            Self.series(
                "AWS/DynamoDB", "ThrottledRequests", "Sum", [table, ("GlobalSecondaryIndexName", "gsi")],
                [
                    (Self.hour(1), 1000)
                ]),
        ])
        let resource = try #require(report.services.first?.resources.first)
        let throttles = try #require(resource.signals.first { $0.metric.name == "ThrottledRequests" })
        #expect(throttles.current == 7)
        #expect(throttles.formula == "sum of 2 Sum datapoints (period 3600 s), summed across 2 splits")
        #expect(resource.signals.first { $0.metric.name == "SuccessfulRequestLatency" }?.current == 9.0)
        // No volume metric for tables: throttles still warn.
        #expect(resource.health.level == .warning)
        #expect(resource.health.reasons == ["7 ThrottledRequests"])

        // With an unsplit series present, the split ones are not added to it.
        let unsplit = self.report([
            Self.series("AWS/DynamoDB", "ThrottledRequests", "Sum", [table], [(Self.hour(1), 5)]),
            Self.series(
                "AWS/DynamoDB", "ThrottledRequests", "Sum", [table, ("Operation", "Query")], [(Self.hour(2), 4)]),
        ])
        #expect(unsplit.services.first?.resources.first?.signals.first?.current == 5)
    }

    @Test func backlogThresholdsAndNoData() throws {
        let queue = [("QueueName", "shipping")]
        let idle = [("QueueName", "shipping-dlq")]
        let report = report(
            [
                Self.series("AWS/SQS", "NumberOfMessagesSent", "Sum", queue, [(Self.hour(0), 10)]),
                Self.series(
                    "AWS/SQS", "ApproximateAgeOfOldestMessage", "Maximum", queue,
                    [(Self.hour(0), 120), (Self.hour(1), 1200)]),
                // Only last week's datapoints: this week is a gap, "no data", never zero.
                Self.series("AWS/SQS", "NumberOfMessagesSent", "Sum", idle, [(Self.hour(-3), 1)]),
            ],
            configuration: Configuration(services: [.init(name: "fulfillment", match: ["shipping*"])]))
        let resources = try #require(report.services.first { $0.name == "fulfillment" }?.resources)
        let busy = try #require(resources.first { $0.name == "shipping" })
        #expect(busy.health.level == .warning)
        #expect(busy.health.reasons == ["ApproximateAgeOfOldestMessage Maximum reached 20.0 min (warning at 15.0 min)"])
        let dlq = try #require(resources.first { $0.name == "shipping-dlq" })
        #expect(dlq.health.level == .noData)
        #expect(dlq.volume?.current == nil && dlq.volume?.previous == 1)
    }

    @Test func criticalPathsTakeTheWorstStepAndNameIt() throws {
        let api = [("ApiName", "orders-api")]
        let queue = [("QueueName", "orders")]
        let configuration = Configuration(paths: [
            .init(name: "order", steps: ["orders-api", "queue:orders", "missing-function"]),
            .init(name: "ok", steps: ["api:orders-api"]),
        ])
        let report = report(
            [
                Self.series("AWS/ApiGateway", "Count", "Sum", api, [(Self.hour(0), 1000)]),
                Self.series("AWS/SQS", "NumberOfMessagesSent", "Sum", queue, [(Self.hour(0), 10)]),
                Self.series("AWS/SQS", "ApproximateAgeOfOldestMessage", "Maximum", queue, [(Self.hour(0), 4000)]),
            ], configuration: configuration)
        let order = try #require(report.paths.first)
        #expect(order.steps.map(\.kind) == ["api", "queue", nil])
        #expect(order.steps.map(\.health.level) == [.ok, .critical, .noData])
        #expect(order.health.level == .critical)
        #expect(
            order.health.reasons == [
                "orders: ApproximateAgeOfOldestMessage Maximum reached 1.1 h (critical at 1.0 h)",
                "missing-function: no resource named missing-function in the data",
            ])
        #expect(report.paths[1].health == HealthStatus(level: .ok, reasons: []))
    }
}
