import Foundation
import HeadroomModel
import Testing

@testable import HeadroomIngest

/// One rule for repeated timestamps in every adapter (`MetricSeries.uniquePoints`): the value read
/// first is kept, the points end up oldest first, and the series says how many repeated.
@Suite struct RepeatedTimestampsTests {
    func at(_ seconds: Int64, _ value: Double) -> Point { Point(time: Instant(seconds: seconds), value: value) }

    @Test func theRule() {
        #expect(MetricSeries.uniquePoints([at(1, 1), at(2, 2)]) == ([at(1, 1), at(2, 2)], nil))
        #expect(MetricSeries.uniquePoints([at(2, 2), at(1, 1)]) == ([at(1, 1), at(2, 2)], nil))
        let (points, warning) = MetricSeries.uniquePoints([
            at(3, 30), at(1, 10), at(3, 31), at(2, 20), at(1, 10), at(3, 32),
        ])
        #expect(points == [at(1, 10), at(2, 20), at(3, 30)])
        #expect(warning == "2 timestamps appear more than once, 1 with different values; the first value read was kept")
        #expect(
            MetricSeries.uniquePoints([at(1, 1), at(1, 1)]).warning
                == "1 timestamp appears more than once with the same value; the first value read was kept")
        // Many points with one timestamp: the first read wins, whatever the sort does with ties.
        let ties = (0..<500).map { at($0 % 2 == 0 ? 5 : 4, Double($0)) }
        #expect(MetricSeries.uniquePoints(ties).points == [at(4, 1), at(5, 0)])
    }

    @Test func getMetricStatisticsSaysSo() throws {
        let (dataset, row) = try readFixture("cloudwatch-get-metric-statistics", "nasty-duplicate-timestamps.json")
        let sum = try #require(dataset.series.first { $0.stat?.stat == "Sum" })
        // 11:00 three times: 241, 241 and 7; the first (241) is kept.
        #expect(sum.points.map(\.value) == [120, 241])
        #expect(
            sum.warnings.contains(
                "1 timestamp appears more than once with different values; the first value read was kept"))
        #expect(
            row.warnings.contains {
                $0.hasSuffix("1 timestamp appears more than once with different values; the first value read was kept")
            })
    }

    @Test func prometheusQueriesAndTextSaySo() throws {
        let (query, queryRow) = try readFixture("prometheus", "nasty-query-range-unsorted-duplicates-extremes.json")
        // result[0] and result[2] are one label set: one series, sorted, its repeat said.
        #expect(Set(query.series.map(\.identity)).count == query.series.count)
        #expect(query.series.allSatisfy { zip($0.points, $0.points.dropFirst()).allSatisfy { $0.time < $1.time } })
        #expect(queryRow.warnings.contains { $0.contains("more than once") })
        let text = """
            # TYPE requests_total counter
            requests_total{code="200"} 10 1763287200000
            requests_total{code="200"} 12 1763287260000
            requests_total{code="200"} 11 1763287200000

            """
        let (dataset, row) = try Sources.read(
            InputFile(display: "scrapes.prom", data: Data(text.utf8), sidecar: nil), forced: .prometheusText)
        #expect(dataset.series.count == 1)
        #expect(dataset.series[0].points == [at(1_763_287_200, 10), at(1_763_287_260, 12)])
        #expect(
            row.warnings.contains(
                #"requests_total{code="200"}: 1 timestamp appears more than once with different values; the first value read was kept"#
            ))
    }
}
