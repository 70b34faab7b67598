import Foundation
import HeadroomModel
import Testing

@testable import HeadroomAnalysis

/// Exact figures from REPORT lines, computed by hand.
@Suite struct LogFiguresTests {
    static let week = ISOWeek(year: 2026, week: 47).interval(in: TimeZone(identifier: "UTC")!)

    static func report(
        _ id: String, _ duration: Double, memory: Int = 80, initDuration: Double? = nil, timedOut: Bool = false,
        at offset: Int64 = 60, file: String = "a.json"
    ) -> InvocationReport {
        InvocationReport(
            function: "f", requestId: id, time: Instant(seconds: week.lowerBound.seconds + offset),
            durationMs: duration,
            memorySizeMB: 100, maxMemoryUsedMB: memory, initDurationMs: initDuration,
            status: timedOut ? "timeout" : "success", timedOut: timedOut, source: file)
    }

    @Test func percentilesColdStartsMemoryAndTimeouts() throws {
        // Ten invocations with durations 10, 20, …, 100 ms; two cold starts; one timeout.
        var reports = (1...10).map { Self.report("r\($0)", Double($0 * 10), memory: 40 + $0 * 5) }
        reports[0].initDurationMs = 300
        reports[1].initDurationMs = 500
        reports[9].timedOut = true
        // The same request in a second file counts once; one outside the week does not count.
        reports.append(Self.report("r1", 10, file: "b.json"))
        reports.append(Self.report("late", 5000, at: 8 * 86_400))
        let logs = try #require(Analysis.logFigures(reports, in: Self.week)["f"])
        #expect(logs.invocations == 10)
        #expect(logs.coldStarts == 2 && logs.coldStartPercent == 20)
        // Nearest rank: p50 of ten is the 5th value, p90 the 9th, p99 the 10th.
        #expect(logs.durationP50 == 50 && logs.durationP90 == 90 && logs.durationP99 == 100)
        #expect(logs.initP50 == 300 && logs.initP99 == 500)
        // Memory: 45 … 90 MB of 100: the p99 is 90 %.
        #expect(logs.memoryP99 == 90)
        #expect(logs.timeouts == 1)
        #expect(logs.sources == ["a.json"])
        let status = Analysis.logHealth(logs)
        #expect(status.level == .warning)
        #expect(
            status.reasons == [
                "1 of 10 logged invocations timed out", "memory p99 is 90.00% of the memory size (REPORT lines)",
            ])
    }

    @Test func reportsWithoutATimeOrAFunctionAreLeftOut() {
        var report = Self.report("x", 10)
        report.time = nil
        var unnamed = Self.report("y", 10)
        unnamed.function = nil
        #expect(Analysis.logFigures([report, unnamed], in: Self.week).isEmpty)
        #expect(Analysis.logHealth(nil) == HealthStatus(level: .ok, reasons: []))
    }
}
