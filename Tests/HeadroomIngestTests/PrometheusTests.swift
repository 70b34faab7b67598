import Foundation
import HeadroomModel
import Testing

@testable import HeadroomIngest

@Suite struct PrometheusTests {
    @Test func readsAQueryRangeMatrix() throws {
        let (dataset, row) = try readFixture("prometheus", "real-query-range-http-requests-rate.json")
        #expect(row.status == .read(.prometheusQuery))
        #expect(dataset.series.count == 4)
        let first = try #require(dataset.series.first)
        guard case .prometheus(let labels) = first.identity else {
            Issue.record("not a Prometheus series")
            return
        }
        #expect(labels.contains { $0.name == "handler" })
        #expect(first.points.map(\.time) == first.points.map(\.time).sorted())
    }

    @Test func nonFiniteValuesAreGapsAndErrorsAreWarnings() throws {
        let (nan, row) = try readFixture("prometheus", "real-query-range-nan-inf.json")
        #expect(nan.series.allSatisfy { $0.points.isEmpty })
        #expect(row.warnings.contains { $0.contains("(NaN, Infinity, beyond ±2^360) treated as gaps") })
        let (_, failed) = try readFixture("prometheus", "real-error-timeout.json")
        #expect(failed.warnings.first?.hasPrefix("the query failed: timeout:") == true)
    }

    @Test func readsTheExpositionFormats() throws {
        let (text, _) = try readFixture("prometheus", "real-federate-text-0.0.4.txt")
        #expect(text.series.count == 69)
        #expect(text.series.allSatisfy { $0.points.count == 1 })  // federation carries timestamps (ms)
        let (edge, _) = try readFixture("prometheus", "nasty-exposition-text-edge-cases.txt")
        let escaped = edge.series.first {
            if case .prometheus(let labels) = $0.identity { return labels.contains { $0.value == "a\"b\\c\nd" } }
            return false
        }
        #expect(escaped != nil)
        let (open, _) = try readFixture("prometheus", "prometheus-client-openmetrics-1.0.0.txt")
        #expect(!open.series.isEmpty)
    }
}

@Suite struct CounterResetTests {
    @Test func aCounterThatGoesDownIsAReset() throws {
        let body = """
            {"status":"success","data":{"resultType":"matrix","result":[{"metric":{"__name__":"lambda_invocations_total"},
            "values":[[1794823200,"10"],[1794823260,"15"],[1794823320,"2"],[1794823380,"7"]]}]}}
            """
        let (dataset, row) = try Sources.read(
            InputFile(display: "c.json", data: Data(body.utf8), sidecar: nil), forced: nil)
        #expect(dataset.series.first?.points.map(\.value) == [10, 15, 2, 7])
        #expect(row.warnings == ["1 counter reset: values are kept as read; use increase() or rate() for totals"])
    }
}
