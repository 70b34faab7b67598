import Foundation
import HeadroomModel
import Testing

@testable import HeadroomAnalysis

/// The service map, percentiles from histograms and the paths traces take, computed by hand.
@Suite struct TraceTests {
    static let zone = TimeZone(identifier: "UTC")!
    static let week = ISOWeek(year: 2026, week: 47).interval(in: zone)
    static let monday = Double(week.lowerBound.seconds)

    static func stats(_ total: Int, faults: Int = 0, errors: Int = 0) -> RequestStats {
        RequestStats(
            ok: total - faults - errors, errors: errors, throttles: 0, faults: faults, total: total,
            totalResponseTime: 0)
    }

    @Test func percentilesOfAHistogramAreNearestRank() {
        let bins = [
            HistogramBin(value: 0.2, count: 45), HistogramBin(value: 0.1, count: 50), HistogramBin(value: 1, count: 5),
        ]
        // 100 requests: the 50th is in the 0.1 s bin, the 99th in the 1 s bin.
        #expect(Analysis.percentile(bins, 0.5) == 0.1)
        #expect(Analysis.percentile(bins, 0.51) == 0.2)
        #expect(Analysis.percentile(bins, 0.99) == 1)
        #expect(Analysis.percentile([], 0.5) == nil)
    }

    @Test func perDayGraphsAddUpAndHealthFollowsTheFaults() {
        func day(_ offset: Int, api: RequestStats, edge: RequestStats) -> ServiceGraph {
            ServiceGraph(
                start: Instant(seconds: Self.week.lowerBound.seconds + Int64(offset) * 86_400),
                end: Instant(seconds: Self.week.lowerBound.seconds + Int64(offset + 1) * 86_400),
                nodes: [
                    .init(
                        referenceId: 0, name: "api/prod", type: "AWS::ApiGateway::Stage", accountId: nil, root: true,
                        stats: api, responseTimes: [HistogramBin(value: 0.1, count: api.total)],
                        edges: [.init(referenceId: 1, stats: edge, responseTimes: [])]),
                    .init(
                        referenceId: 1, name: "orders", type: "AWS::DynamoDB::Table", accountId: nil, root: false,
                        stats: edge, responseTimes: [], edges: []),
                ], partial: false, source: "day\(offset).json")
        }
        let graphs = [
            day(0, api: Self.stats(100, faults: 3), edge: Self.stats(90)),
            day(1, api: Self.stats(300, faults: 1, errors: 20), edge: Self.stats(280, errors: 2)),
        ]
        let (nodes, edges) = Analysis.serviceMap(graphs, report: ChecksTests.report())
        #expect(nodes.map(\.name) == ["api/prod", "orders"])
        #expect(nodes[0].requests == 400 && nodes[0].faultPercent == 1 && nodes[0].errorPercent == 5)
        // 1% of faults, 5% of errors: a warning; none: OK.
        #expect(nodes.map(\.level) == [.warning, .ok])
        #expect(nodes[1].kind == .resource && nodes[0].kind == .service)
        #expect(edges.map { "\($0.from)>\($0.to) \($0.requests)" } == ["node-1>node-2 370"])
        #expect(Analysis.level(Self.stats(100, faults: 5)) == .critical)
        #expect(Analysis.level(nil) == .noData)
    }

    static func span(
        _ name: String, _ start: Double, _ end: Double, origin: String? = nil, namespace: String? = nil,
        resource: String? = nil, children: [Span] = []
    ) -> Span {
        Span(
            id: name + "\(start)", parentId: nil, name: name, start: monday + start, end: monday + end, origin: origin,
            namespace: namespace, error: false, fault: false, throttle: false, status: nil, operation: nil,
            resource: resource, cause: nil, inferred: false, annotations: [:], children: children)
    }

    /// api (whole trace) → call → the function's segment → a DynamoDB call on `orders`.
    static func trace(_ id: String, total: Double, function: Double, table: Double) -> TraceRecord {
        let dynamo = span("DynamoDB", 0.2, 0.2 + table, namespace: "aws", resource: "orders")
        let fn = span("fn", 0.1, 0.1 + function, origin: "AWS::Lambda::Function", children: [dynamo])
        let call = span("Lambda", 0.05, 0.1 + function, namespace: "aws", resource: "fn", children: [fn])
        let api = span("api/prod", 0, total, origin: "AWS::ApiGateway::Stage", children: [call])
        return TraceRecord(id: id, duration: total, limitExceeded: false, spans: [api], source: "t.json")
    }

    @Test func thePathMostTracesTakeWithEachHopsShare() {
        let traces = [
            Self.trace("a", total: 1.0, function: 0.8, table: 0.1),
            Self.trace("b", total: 2.0, function: 1.0, table: 0.5),
            Self.trace("c", total: 1.0, function: 0.5, table: 0.2),
        ]
        #expect(Analysis.hops(traces[0]).map(\.name) == ["api/prod", "fn", "orders"])
        let paths = Analysis.tracePaths(traces, configured: [])
        #expect(paths.count == 1 && paths[0].entry == "api/prod" && paths[0].following == 3)
        // fn: 80%, 50%, 50% → p50 (2nd of 3) 50%, p99 (3rd) 80%; orders: 10%, 25%, 20% → 20%, 25%.
        // (Epoch seconds with fractions: equal to a millionth of a percent.)
        #expect(
            paths[0].hops.map { "\($0.name) \(Format.fixed($0.shareP50, 3)) \(Format.fixed($0.shareP99, 3))" } == [
                "api/prod 100.000 100.000", "fn 50.000 80.000", "orders 20.000 25.000",
            ])
    }

    /// An HTTP entry point is its API, method and route: the stage cut from the path, ids as
    /// `{id}`; two routes of one API are two entry points, and the same route with other ids one.
    @Test func entryPointsAreRoutes() {
        func routed(_ id: String, _ method: String, _ path: String) -> TraceRecord {
            var trace = Self.trace(id, total: 1.0, function: 0.5, table: 0.1)
            trace.spans[0].method = method
            trace.spans[0].path = path
            return trace
        }
        let traces = [
            routed("a", "GET", "/prod/orders/4711"), routed("b", "GET", "/prod/orders/ord_9f8e7d6c5b"),
            routed("c", "POST", "/prod/orders"),
            routed("d", "GET", "/prod/orders/3f9a2c1e-7b4d-4e2a-9c1f-0a1b2c3d4e5f"),
            routed("e", "GET", "/v1/health"),
        ]
        #expect(
            Analysis.tracePaths(traces, configured: []).map { "\($0.entry) \($0.traces)" } == [
                "api/prod GET /orders/{id} 3", "api/prod GET /v1/health 1", "api/prod POST /orders 1",
            ])
    }

    /// The console link names the trace's region, or the week's, or none.
    @Test func theConsoleLinkNamesTheRegion() {
        #expect(
            Analysis.console(trace: "1-6afa49ad-7373e05b", region: "eu-central-1")
                == "https://eu-central-1.console.aws.amazon.com/cloudwatch/home?region=eu-central-1#xray:traces/1-6afa49ad-7373e05b"
        )
        #expect(
            Analysis.console(trace: "1-x", region: nil)
                == "https://console.aws.amazon.com/cloudwatch/home#xray:traces/1-x")
        // A region that is not one is left out; an id is encoded.
        #expect(
            Analysis.console(trace: "1-x\"><", region: "eu\"x")
                == "https://console.aws.amazon.com/cloudwatch/home#xray:traces/1-x%22%3E%3C")
        var trace = Self.trace("a", total: 1, function: 0.5, table: 0.1)
        #expect(Analysis.region(trace) == nil)
        trace.spans[0].children[0].children[0].children[0].region = "us-east-2"
        #expect(Analysis.region(trace) == "us-east-2")
    }

    @Test func nothingInTheWeekIsNoReport() {
        let late = TraceSummary(
            id: "x", start: Instant(seconds: Self.week.upperBound.seconds + 60), duration: 1, fault: true, error: false,
            throttle: false, partial: false, method: nil, url: nil, status: nil, entry: nil, services: [],
            source: "s.json")
        #expect(
            Analysis.traceReport(Dataset(traceSummaries: [late]), in: Self.week, report: ChecksTests.report()) == nil)
        var inside = late
        inside.start = Instant(seconds: Self.week.lowerBound.seconds + 60)
        let report = Analysis.traceReport(
            Dataset(traceSummaries: [late, inside]), in: Self.week, report: ChecksTests.report())
        #expect(report?.sampled == 1 && report?.faults == 1 && report?.nodes.isEmpty == true)
        #expect(report?.failing.map(\.id) == ["x"] && report?.failing.first?.spans.isEmpty == true)
    }
}
