import HeadroomModel

/// A function's health for the week, with every rule that set it.
public struct HealthStatus: Sendable, Equatable, Codable {
    public enum Level: String, Sendable, Comparable, CaseIterable, Codable {
        case ok, noData = "no data", warning, critical

        private var rank: Int { Self.allCases.firstIndex(of: self)! }
        public static func < (a: Level, b: Level) -> Bool { a.rank < b.rank }
    }

    public var level: Level
    /// Each rule that fired, with its figures; empty when all is well.
    public var reasons: [String]
    /// The rules that were checked and passed, as a reader would say it ("no throttles").
    public var passed: [String] = []
    /// The rules that could not be checked for lack of data, and why ("throttles: no data").
    public var unchecked: [String] = []

    /// Records a rule that fired: the level becomes the worse of the two.
    mutating func raise(_ to: Level, _ reason: String) {
        level = max(level, to)
        reasons.append(reason)
    }

    /// Adds the rules another evaluation fired (its "no data" aside).
    mutating func merge(_ other: HealthStatus) {
        guard other.level != .noData else { return }
        level = max(level, other.level)
        reasons += other.reasons
    }
}

extension Analysis {
    /// The health rules, in order. Thresholds come from `health:` in headroom.yml.
    /// - No invocations in the week: no data (never "ok").
    /// - Errors: below `lowVolume` invocations a week, any error warns; above it, the error rate
    ///   warns above `errorRateFloor` % and is critical at ten times the floor.
    /// - Throttles: any throttle warns.
    /// - Timeout: p99 duration at `timeoutWarning` % of the function's timeout warns, at
    ///   `timeoutCritical` % is critical (the timeout comes from the Lambda inventory).
    static func health(_ week: FunctionWeek, timeoutSeconds: Int?, rules: Configuration.HealthRules) -> HealthStatus {
        guard let invocations = week.invocations, invocations > 0 else {
            return HealthStatus(level: .noData, reasons: ["no invocations this week"])
        }
        var status = HealthStatus(level: .ok, reasons: [])
        // Each rule passes only on data: without it, it is "not checked", never good news.
        if let errors = week.errors {
            let before = status.reasons.count
            if errors > 0, let rate = week.errorRate {
                errorRule(errors: errors, volume: invocations, rate: rate, what: "Errors", rules: rules, into: &status)
            }
            if status.reasons.count == before { status.passed.append("errors within the floor") }
        } else {
            status.unchecked.append("errors (no Errors data)")
        }
        if let throttles = week.throttles {
            if throttles > 0 {
                let perThousand = throttles / invocations * 1000
                status.raise(
                    .warning,
                    "\(Format.count(throttles)) throttles (\(ValueUnit.count.format(perThousand)) per 1,000 invocations)"
                )
            } else {
                status.passed.append("no throttles")
            }
        } else {
            status.unchecked.append("throttles (no Throttles data)")
        }
        if let timeoutSeconds, timeoutSeconds > 0, let p99 = week.p99 {
            let share = p99.value / Double(timeoutSeconds * 1000) * 100
            let text = "p99 duration is \(Format.percent(share)) of the \(timeoutSeconds) s timeout"
            if share >= rules.timeoutCritical {
                status.raise(.critical, text)
            } else if share >= rules.timeoutWarning {
                status.raise(.warning, text)
            } else {
                status.passed.append("p99 at \(Format.percent(share)) of the timeout")
            }
        } else {
            status.unchecked.append(
                week.p99 == nil
                    ? "p99 against the timeout (no Duration p99 data)"
                    : "p99 against the timeout (no timeout in the inventory)")
        }
        return status
    }

    /// Errors scale with volume: below `lowVolume` every error warns; above it the rate warns
    /// above `errorRateFloor` % and is critical at ten times the floor.
    static func errorRule(
        errors: Double, volume: Double, rate: Double, what: String, rules: Configuration.HealthRules,
        into status: inout HealthStatus
    ) {
        if volume < Double(rules.lowVolume) {
            status.raise(
                .warning,
                "\(what): \(Format.count(errors)) at low volume (\(Format.count(volume)) requests; every error counts)")
        } else if rate >= rules.errorRateFloor * 10 {
            status.raise(
                .critical,
                "\(what) at \(percent(rate)) of requests is at least 10× the \(percent(rules.errorRateFloor)) floor")
        } else if rate > rules.errorRateFloor {
            status.raise(
                .warning, "\(what) at \(percent(rate)) of requests is above the \(percent(rules.errorRateFloor)) floor")
        }
    }

    private static func percent(_ value: Double) -> String { Format.percent(value) }
}
