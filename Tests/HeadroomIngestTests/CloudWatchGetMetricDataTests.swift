import Foundation
import HeadroomModel
import HeadroomTestSupport
import Testing

@testable import HeadroomIngest

@Suite struct CloudWatchGetMetricDataTests {
    func read(_ results: String, queries: String?) throws(HeadroomError) -> [MetricSeries] {
        try readWithWarnings(results, queries: queries).series
    }

    func readWithWarnings(_ results: String, queries: String?) throws(HeadroomError) -> (
        series: [MetricSeries], warnings: [String]
    ) {
        let sidecar = queries.map { JSONCursor(try! JSONParser.parse(Data($0.utf8)), file: "r.query.json") }
        return try CloudWatchGetMetricData.read(
            Data(results.utf8), InputFile(display: "r.json", data: Data(results.utf8), sidecar: sidecar))
    }

    func fixture(_ name: String) throws -> [MetricSeries] {
        let base = "cloudwatch-get-metric-data/\(name)"
        let data = try TestSupport.fixtureData("\(base).json")
        let queries = try JSONParser.parse(try TestSupport.fixtureData("\(base).query.json"))
        return try CloudWatchGetMetricData.read(
            data,
            InputFile(display: "\(name).json", data: data, sidecar: JSONCursor(queries, file: "\(name).query.json"))
        ).series
    }

    static let lambdaQuery = """
        [{"Id": "inv", "MetricStat": {"Metric": {"Namespace": "AWS/Lambda", "MetricName": "Invocations",
          "Dimensions": [{"Name": "FunctionName", "Value": "orders-api"}]}, "Period": 3600, "Stat": "Sum"},
          "ReturnData": true}]
        """

    @Test func readsTheAWSCLIExampleWithAMathExpression() throws {
        let series = try fixture("awscli-example-math")
        #expect(series.count == 1)
        #expect(series[0].identity == .expression("(m1+m2)/300", period: nil))
        #expect(series[0].label == "Avg Total IOPS")
        #expect(series[0].points == [Point(time: Timestamp.parse("2024-09-29T22:10:00Z")!, value: 96.85)])
    }

    /// Captured from a moto server with the real AWS CLI v1: epoch-second timestamps, newest first.
    @Test func readsCLIv1EpochTimestampsInEitherOrder() throws {
        for name in ["moto-cli-v1-epoch", "moto-cli-v1-ascending"] {
            let series = try fixture(name)
            #expect(series.count == 2)
            let invocations = try #require(series.first)
            #expect(
                invocations.stat
                    == MetricStat(
                        namespace: "AWS/Lambda", metricName: "Invocations",
                        dimensions: [MetricDimension(name: "FunctionName", value: "orders-api")], stat: "Sum",
                        period: 3600))
            #expect(
                invocations.points.map(\.time.description) == [
                    "2026-11-16T10:00:00Z", "2026-11-16T11:00:00Z", "2026-11-16T12:00:00Z",
                ])
            #expect(invocations.points.map(\.value) == [100, 110, 120])
            #expect(series[1].points.isEmpty)  // an empty result is a series with no data, not zeros
        }
    }

    @Test func mergesPagesPerIdAndKeepsGaps() throws {
        let series = try read(
            """
            {"MetricDataResults": [
              {"Id": "inv", "Label": "orders-api Invocations", "Timestamps": ["2026-11-16T03:00:00+00:00", "2026-11-16T02:00:00+00:00"], "Values": [3.0, 2.0], "StatusCode": "Complete"},
              {"Id": "inv", "Label": "orders-api Invocations", "Timestamps": ["2026-11-16T00:00:00+00:00"], "Values": [1.0], "StatusCode": "Complete"}
            ], "Messages": []}
            """, queries: Self.lambdaQuery)
        #expect(series.count == 1)
        #expect(series[0].points.map(\.value) == [1, 2, 3])  // 01:00 is missing: a gap, not a zero
        #expect(
            series[0].points.map(\.time.description) == [
                "2026-11-16T00:00:00Z", "2026-11-16T02:00:00Z", "2026-11-16T03:00:00Z",
            ])
        #expect(series[0].warnings.isEmpty)
    }

    @Test func turnsStatusCodesMessagesNaNAndConflictsIntoWarnings() throws {
        let (series, fileWarnings) = try readWithWarnings(
            """
            {"MetricDataResults": [
              {"Id": "inv", "Timestamps": [1794823200, 1794826800, 1794826800, 1794830400], "Values": [1.0, 2.0, 5.0, NaN],
               "StatusCode": "PartialData", "Messages": [{"Code": "ArithmeticError", "Value": "division by zero"}]}
            ], "Messages": [{"Code": "Throttled", "Value": "slow down"}], "NextToken": "abc"}
            """, queries: Self.lambdaQuery)
        let warnings = series[0].warnings
        #expect(series[0].points.map(\.value) == [1, 2])
        #expect(
            fileWarnings == [
                "Throttled: slow down", "NextToken is set: later pages are missing, so series may be incomplete",
            ])
        #expect(warnings.contains("StatusCode PartialData: CloudWatch returned only part of the data"))
        #expect(warnings.contains("ArithmeticError: division by zero"))
        #expect(warnings.contains("1 non-finite or out-of-range values (NaN, Infinity, beyond ±2^360) treated as gaps"))
        #expect(
            warnings.contains("1 timestamp appears more than once with different values; the first value read was kept")
        )
    }

    @Test func readsQueriesFromTheSameFileOrACLIInputFile() throws {
        let combined = try read(
            """
            {"MetricDataQueries": \(Self.lambdaQuery),
             "MetricDataResults": [{"Id": "inv", "Timestamps": [], "Values": [], "StatusCode": "Complete"}]}
            """, queries: nil)
        #expect(combined[0].stat?.metricName == "Invocations")
        let cliInput = try read(
            #"{"MetricDataResults": [{"Id": "inv", "Timestamps": [], "Values": []}]}"#,
            queries: #"{"MetricDataQueries": \#(Self.lambdaQuery), "StartTime": "2026-11-16T00:00:00Z"}"#)
        #expect(cliInput[0].stat?.metricName == "Invocations")
    }

    @Test func dropsPointsOutsideTheRequestedRange() throws {
        let (series, warnings) = try readWithWarnings(
            #"{"MetricDataResults": [{"Id": "inv", "Timestamps": ["2099-01-01T00:00:00Z", "2026-11-16T10:00:00Z"], "Values": [9.0, 1.0]}]}"#,
            queries:
                #"{"MetricDataQueries": \#(Self.lambdaQuery), "StartTime": "2026-11-16T00:00:00Z", "EndTime": "2026-11-23T00:00:00Z"}"#
        )
        #expect(series[0].points.map(\.value) == [1])
        #expect(
            warnings == ["1 point outside the requested StartTime–EndTime dropped (clock skew or a future timestamp)"])
    }

    /// The streamed reader refuses a key twice in one result at its line and column, instead of
    /// keeping one of the two series.
    @Test func refusesADuplicateKeyInAResult() {
        let results = """
            {"MetricDataResults": [{"Id": "inv", "Timestamps": [1], "Values": [1.0],
              "Values": [2.0]}]}
            """
        do {
            _ = try read(results, queries: Self.lambdaQuery)
            Issue.record("a duplicate key was read")
        } catch {
            #expect(error.position == .line(2, column: 3))
            #expect(error.message == "invalid JSON: the key \"Values\" appears twice in one object")
        }
    }

    @Test func namesTheProblemByJSONPath() {
        let cases: [(String, String?, String, String)] = [
            (
                #"{"MetricDataResults": [{"Id": "inv", "Timestamps": [1, 2], "Values": [1.0]}]}"#, Self.lambdaQuery,
                "$.MetricDataResults[0]", "2 Timestamps but 1 Values; each timestamp needs one value"
            ),
            (
                #"{"MetricDataResults": [{"Id": "inv", "Timestamps": ["monday"], "Values": [1.0]}]}"#, Self.lambdaQuery,
                "$.MetricDataResults[0].Timestamps[0]",
                "not a timestamp: " + Timestamp.expected
            ),
            (
                #"{"MetricDataResults": [{"Id": "inv", "Timestamps": [1], "Values": ["1"]}]}"#, Self.lambdaQuery,
                "$.MetricDataResults[0].Values[0]", "expected a number, found a string"
            ),
            (
                #"{"MetricDataResults": [{"Id": "other", "Timestamps": [], "Values": []}]}"#, Self.lambdaQuery,
                "$.MetricDataResults[0].Id", "no query with the Id \"other\""
            ),
            (
                #"{"MetricDataResults": [{"Timestamps": [], "Values": []}]}"#, Self.lambdaQuery,
                "$.MetricDataResults[0]", "the required key \"Id\" is missing"
            ),
            (
                #"{"MetricDataResults": []}"#,
                #"[{"Id": "x", "MetricStat": {"Metric": {"Namespace": "N", "MetricName": "M"}, "Stat": "Sum"}}]"#,
                "$[0].MetricStat", "the required key \"Period\" is missing"
            ),
        ]
        for (results, queries, path, message) in cases {
            do {
                _ = try read(results, queries: queries)
                Issue.record("no error for \(results)")
            } catch {
                #expect(error.position == .jsonPath(path))
                #expect(error.message == message)
            }
        }
        do {
            _ = try read(#"{"MetricDataResults": []}"#, queries: nil)
            Issue.record("no error without queries")
        } catch {
            #expect(error.message == "get-metric-data results without their MetricDataQueries")
            #expect(error.remedy?.contains("r.query.json") == true)
        }
    }
}
