import Foundation
import HeadroomModel
import Testing

@testable import HeadroomIngest

@Suite struct MetricQueriesTests {
    static let week = ISOWeek(year: 2026, week: 47).interval(in: TimeZone(identifier: "UTC")!)

    func listed(_ metrics: [String]) -> (data: Data, display: String) {
        (Data(#"{"Metrics": [\#(metrics.joined(separator: ","))]}"#.utf8), "list.json")
    }

    func metric(_ namespace: String, _ name: String, _ dimensions: [(String, String)]) -> String {
        let list = dimensions.map { #"{"Name": "\#($0.0)", "Value": "\#($0.1)"}"# }.joined(separator: ",")
        return #"{"Namespace": "\#(namespace)", "MetricName": "\#(name)", "Dimensions": [\#(list)]}"#
    }

    func requests(_ metrics: [String]) throws -> [MetricQueries.Request] {
        try MetricQueries.requests(
            listMetrics: [listed(metrics)], catalog: try CatalogLoader.builtIn(), interval: Self.week)
    }

    /// Each catalog statistic of a listed series becomes one query; alias series, other namespaces'
    /// metrics and metrics the catalog does not read are left out.
    @Test func picksTheCatalogsMetricsAndStatistics() throws {
        let requests = try requests([
            metric("AWS/Lambda", "Duration", [("FunctionName", "orders-api")]),
            metric("AWS/Lambda", "Duration", [("FunctionName", "orders-api"), ("Resource", "orders-api:live")]),
            metric("AWS/Lambda", "Invocations", [("FunctionName", "orders-api")]),
            metric("AWS/Lambda", "ConcurrentExecutions", []),
            metric("AWS/Lambda", "UnreservedConcurrentExecutions", []),
            metric("AWS/DynamoDB", "SuccessfulRequestLatency", [("TableName", "orders"), ("Operation", "GetItem")]),
            metric("Custom/Shop", "Orders", [("Shop", "eu")]),
        ])
        #expect(requests.map(\.fileName) == ["cloudwatch-lambda.query.json", "cloudwatch-dynamodb.query.json"])
        let lambda = try JSONCursor(JSONParser.parse(Data(requests[0].json.utf8)), file: "q")
        let queries = try lambda.require("MetricDataQueries").array()
        let described = try queries.map { query in
            let stat = try query.require("MetricStat")
            let metric = try stat.require("Metric")
            let dimensions = try metric.require("Dimensions").array().map { try $0.require("Value").string() }
            return try "\(query.require("Id").string()) \(metric.require("MetricName").string())"
                + " \(stat.require("Stat").string()) [\(dimensions.joined(separator: ","))]"
        }
        #expect(
            described == [
                "q0 ConcurrentExecutions Maximum []", "q1 Duration p50 [orders-api]", "q2 Duration p90 [orders-api]",
                "q3 Duration p99 [orders-api]", "q4 Invocations Sum [orders-api]",
            ])
        #expect(try lambda.require("StartTime").string() == "2026-11-16T00:00:00Z")
        #expect(try lambda.require("EndTime").string() == "2026-11-23T00:00:00Z")
        #expect(requests[1].json.contains("\"Operation\""))
    }

    /// Over 500 queries, the requests split; the Ids restart in each and stay unique within it.
    @Test func splitsAtFiveHundredQueries() throws {
        let metrics = (0..<260).map { metric("AWS/Lambda", "Duration", [("FunctionName", "f\($0)")]) }
        let requests = try requests(metrics)
        #expect(requests.map(\.queries) == [500, 280])
        #expect(requests.map(\.fileName) == ["cloudwatch-lambda.query.json", "cloudwatch-lambda-2.query.json"])
        #expect(try requests == self.requests(metrics.reversed()))  // the order of the listing does not matter
    }

    /// What the collector writes, the reader reads back: results with the request beside them.
    @Test func theReaderReadsTheRequestBack() throws {
        let request = try requests([metric("AWS/SQS", "NumberOfMessagesSent", [("QueueName", "orders-queue")])])[0]
        let results = #"""
            {"MetricDataResults": [{"Id": "q0", "Label": "x", "StatusCode": "Complete",
              "Timestamps": ["2026-11-16T01:00:00Z", "2026-11-30T00:00:00Z"], "Values": [4, 5]}], "Messages": []}
            """#
        let sidecar = JSONCursor(try JSONParser.parse(Data(request.json.utf8)), file: request.fileName)
        let read = try CloudWatchGetMetricData.read(
            Data(results.utf8), InputFile(display: "r.json", data: Data(results.utf8), sidecar: sidecar))
        #expect(read.series.count == 1)
        #expect(read.series[0].stat?.metricName == "NumberOfMessagesSent")
        #expect(read.series[0].stat?.dimensions == [MetricDimension(name: "QueueName", value: "orders-queue")])
        #expect(read.series[0].points.map(\.value) == [4])  // the point after EndTime is dropped
    }

    @Test func refusesWhatIsNotAListing() throws {
        for (text, message) in [
            (#"{"MetricDataResults": []}"#, "list-metrics"),
            (#"{"Metrics": [], "NextToken": "abc"}"#, "NextToken"),
            (#"{"Metrics": [{"Namespace": "AWS/Lambda"}]}"#, "MetricName"),
            ("{\"Metrics\": [", "invalid JSON"),
        ] {
            let error = #expect(throws: HeadroomError.self) {
                try MetricQueries.requests(
                    listMetrics: [(Data(text.utf8), "list.json")], catalog: try CatalogLoader.builtIn(),
                    interval: Self.week)
            }
            #expect(error?.description.contains(message) == true, "\(error?.description ?? "")")
            #expect(error?.file == "list.json")
        }
    }
}
