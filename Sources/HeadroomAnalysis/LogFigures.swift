import Foundation
import HeadroomModel

/// A function's week from its REPORT lines: exact, per invocation.
public struct LogFigures: Sendable, Equatable, Codable {
    /// Invocations with a REPORT line in the week (a request id counts once).
    public var invocations: Int
    public var coldStarts: Int
    /// coldStarts ÷ invocations × 100.
    public var coldStartPercent: Double
    /// Init Duration of the cold starts, nearest rank; nil without cold starts.
    public var initP50: Double?
    public var initP99: Double?
    /// Duration, nearest rank over every invocation.
    public var durationP50: Double
    public var durationP90: Double
    public var durationP99: Double
    /// Max Memory Used ÷ Memory Size × 100, nearest-rank p99; nil when the lines have no memory.
    public var memoryP99: Double?
    /// Invocations that timed out (a `Task timed out` line or `Status: timeout`).
    public var timeouts: Int
    public var sources: [String]
    /// Every logged Duration (ms), sorted: the distribution for the histogram.
    public var durations: [Double] = []
    /// One point per REPORT line at its time, oldest first: 1 for a cold start, 0 for a warm one
    /// (so an hour with only warm starts sums to 0, and an hour without lines stays a gap).
    public var starts: [Point] = []
}

extension Analysis {
    /// The nearest-rank percentile (`q` in 0…1) of sorted values: the value at rank ⌈q × n⌉.
    static func nearestRank(_ sorted: [Double], _ q: Double) -> Double {
        sorted[max(0, Int((q * Double(sorted.count)).rounded(.up)) - 1)]
    }

    /// Per function, from the REPORT lines whose time is in `interval`; a request id is counted
    /// once even when several files hold it.
    static func logFigures(_ reports: [InvocationReport], in interval: Range<Instant>) -> [String: LogFigures] {
        var byFunction: [String: [InvocationReport]] = [:]
        var seen: Set<String> = []
        for report in reports {
            guard let function = report.function, let time = report.time, interval.contains(time),
                seen.insert(function + "\u{0}" + report.requestId).inserted
            else { continue }
            byFunction[function, default: []].append(report)
        }
        return byFunction.mapValues { reports in
            let durations = reports.map(\.durationMs).sorted()
            let inits = reports.compactMap(\.initDurationMs).sorted()
            let memory = reports.compactMap { report -> Double? in
                guard let used = report.maxMemoryUsedMB, let size = report.memorySizeMB, size > 0 else { return nil }
                return Double(used) / Double(size) * 100
            }.sorted()
            return LogFigures(
                invocations: reports.count, coldStarts: inits.count,
                coldStartPercent: Double(inits.count) / Double(reports.count) * 100,
                initP50: inits.isEmpty ? nil : nearestRank(inits, 0.5),
                initP99: inits.isEmpty ? nil : nearestRank(inits, 0.99),
                durationP50: nearestRank(durations, 0.5), durationP90: nearestRank(durations, 0.9),
                durationP99: nearestRank(durations, 0.99),
                memoryP99: memory.isEmpty ? nil : nearestRank(memory, 0.99),
                timeouts: reports.filter { $0.timedOut || $0.status == "timeout" }.count,
                sources: Array(Set(reports.map(\.source))).sorted(), durations: durations,
                starts: reports.compactMap { report in
                    report.time.map { Point(time: $0, value: report.coldStart ? 1 : 0) }
                }.sorted { $0.time < $1.time })
        }
    }

    /// Rules from REPORT lines: any timeout warns; memory p99 at 90% of the memory size or more warns.
    static func logHealth(_ logs: LogFigures?) -> HealthStatus {
        var status = HealthStatus(level: .ok, reasons: [])
        guard let logs else { return status }
        if logs.timeouts > 0 {
            status.raise(
                .warning,
                "\(Format.grouped(Int64(logs.timeouts))) of \(Format.grouped(Int64(logs.invocations))) logged invocations timed out"
            )
        }
        if let memory = logs.memoryP99, memory >= 90 {
            status.raise(.warning, "memory p99 is \(Format.percent(memory)) of the memory size (REPORT lines)")
        }
        return status
    }
}
