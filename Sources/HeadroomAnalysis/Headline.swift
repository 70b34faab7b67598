import HeadroomModel

/// The week's headline figures, each with the week before where there is one: what the overview's
/// tiles, the list of weeks, the feed and the digest show. nil where the data has none: a gap is
/// not a zero. The week's cost, the least error budget and the most used quota are the report's
/// own (`cost`, the first of `slos` and of `quotas`).
public struct Headline: Sendable, Equatable, Codable {
    /// The functions of the report.
    public var functions = 0
    /// Sum of every function's weekly invocations, and the week before's.
    public var invocations: Double?
    public var previousInvocations: Double?
    public var errors: Double?
    public var previousErrors: Double?
    /// Errors ÷ invocations × 100 over every function (nil without invocations).
    public var errorRate: Double?
    public var previousErrorRate: Double?
    /// The function whose weekly p99 ÷ timeout is highest, of those with both.
    public var nearestTimeout: NearestTimeout?
    /// The findings by state, nil without findings.
    public var findings: FindingCounts?
    /// Whether the week was good or bad: the worst of its parts, and what made it so.
    public var verdict = Verdict()
    /// The status of the figures the overview's tiles show, nil where there is nothing to judge.
    public var levels = Levels()

    public init() {}

    /// The worst level of the week's functions, resources, critical paths, objectives, quotas,
    /// cost and open findings; `noData` when none of them has data. One reason per part that is
    /// not OK, worst first.
    public struct Verdict: Sendable, Equatable, Codable {
        public var level: HealthStatus.Level = .noData
        public var reasons: [String] = []
    }

    public struct Levels: Sendable, Equatable, Codable {
        /// The health of the function nearest its timeout (`nearestTimeout`).
        public var latency: HealthStatus.Level?
        /// Critical when the month's forecast is over its budget, a warning on a cost spike.
        public var cost: HealthStatus.Level?
        /// Of the objective with least budget: critical at none left, a warning under 25% left.
        public var budget: HealthStatus.Level?
        /// Critical with an open critical finding, a warning with an open high one.
        public var findings: HealthStatus.Level?
        /// The status of the most used quota.
        public var quota: HealthStatus.Level?
    }

    public struct NearestTimeout: Sendable, Equatable, Codable {
        public var function: String
        public var p99: WeeklyPercentile
        public var previousP99: Double?
        public var timeoutSeconds: Int
        /// p99 ÷ (timeout × 1000 ms).
        public var share: Double
    }

    public struct FindingCounts: Sendable, Equatable, Codable {
        /// Not resolved, muted or not checked.
        public var open: Int
        /// Open when last seen, their source sent nothing this week.
        public var unchecked: Int
        /// Open, critical or high.
        public var serious: Int
        /// New or back again.
        public var fresh: Int
        public var resolved: Int
    }
}

extension Analysis {
    /// The report's headline figures, from its functions and findings; `weeks` sets them once
    /// the findings' life cycle is known.
    public static func headline(_ report: Report) -> Headline {
        func sum(_ values: [Double?]) -> Double? {
            let present = values.compactMap { $0 }
            return present.isEmpty ? nil : present.reduce(0, +)
        }
        let functions = report.functions
        var headline = Headline()
        headline.functions = functions.count
        headline.invocations = sum(functions.map(\.current.invocations))
        headline.previousInvocations = sum(functions.map { $0.previous?.invocations })
        headline.errors = sum(functions.map(\.current.errors))
        headline.previousErrors = sum(functions.map { $0.previous?.errors })
        if let invocations = headline.invocations, let errors = headline.errors, invocations > 0 {
            headline.errorRate = errors / invocations * 100
        }
        if let invocations = headline.previousInvocations, let errors = headline.previousErrors, invocations > 0 {
            headline.previousErrorRate = errors / invocations * 100
        }
        let timed = functions.compactMap { function -> Headline.NearestTimeout? in
            guard let p99 = function.current.p99, let timeout = function.timeoutSeconds, timeout > 0 else { return nil }
            return Headline.NearestTimeout(
                function: function.name, p99: p99, previousP99: function.previous?.p99?.value,
                timeoutSeconds: timeout, share: p99.value / Double(timeout * 1000))
        }
        headline.nearestTimeout = timed.max { ($0.share, $1.function) < ($1.share, $0.function) }
        if !report.findings.isEmpty {
            let findings = report.findings
            let open = findings.filter { ![.resolved, .muted, .unchecked].contains($0.state) }
            headline.findings = Headline.FindingCounts(
                open: open.count, unchecked: findings.filter { $0.state == .unchecked }.count,
                serious: open.filter { $0.severity <= .high }.count,
                fresh: findings.filter { $0.state == .new || $0.state == .regressed }.count,
                resolved: findings.filter { $0.state == .resolved }.count)
        }
        judge(report, &headline)
        return headline
    }

    /// The levels of the tiles and the week's verdict (see `Headline.Verdict`).
    static func judge(_ report: Report, _ headline: inout Headline) {
        var parts: [(level: HealthStatus.Level, reason: String)] = []
        func count(_ levels: [HealthStatus.Level], _ noun: String) {
            for level in [HealthStatus.Level.critical, .warning] {
                let number = levels.filter { $0 == level }.count
                if number > 0 {
                    parts.append((level, plural(number, noun) + (level == .critical ? " critical" : " at warning")))
                }
            }
        }
        let functions = report.functions
        if let nearest = headline.nearestTimeout {
            headline.levels.latency = functions.first { $0.name == nearest.function }?.health.level
        }
        func budget(_ consumed: Double) -> HealthStatus.Level {
            consumed >= 100 ? .critical : consumed > 75 ? .warning : .ok
        }
        let budgets = report.slos.compactMap(\.budgetConsumedPercent).map(budget)
        headline.levels.budget = report.slos.first?.budgetConsumedPercent.map(budget)
        let exhausted = budgets.filter { $0 == .critical }.count
        let low = budgets.filter { $0 == .warning }.count
        if exhausted > 0 { parts.append((.critical, "\(plural(exhausted, "objective")) out of error budget")) }
        if low > 0 { parts.append((.warning, "\(plural(low, "objective")) under 25% of error budget left")) }
        if let cost = report.cost {
            if let budget = cost.monthlyBudget, budget > 0, cost.monthForecast > budget {
                headline.levels.cost = .critical
                parts.append(
                    (
                        .critical,
                        "\(cost.month) forecast \(Format.money(cost.monthForecast, cost.currency)) over its budget"
                    ))
            } else if !cost.spikes.isEmpty {
                headline.levels.cost = .warning
                parts.append((.warning, plural(cost.spikes.count, "cost spike")))
            } else {
                headline.levels.cost = .ok
            }
        }
        count(report.paths.map(\.health.level), "critical path")
        count(functions.map(\.health.level), "function")
        count(report.services.flatMap(\.resources).map(\.health.level), "resource")
        let quotas = report.quotas.filter { $0.utilisation != nil }.map { quota -> HealthStatus.Level in
            switch quota.status {
            case .critical: .critical
            case .warning: .warning
            case .ok: .ok
            case .noData: .noData
            }
        }
        headline.levels.quota = quotas.first
        count(quotas, "quota")
        if !report.findings.isEmpty {
            let open = report.findings.filter { ![.resolved, .muted, .unchecked].contains($0.state) }
            let critical = open.filter { $0.severity == .critical }.count
            let high = open.filter { $0.severity == .high }.count
            headline.levels.findings = critical > 0 ? .critical : high > 0 ? .warning : .ok
            if critical > 0 { parts.append((.critical, "\(plural(critical, "open critical finding"))")) }
            if high > 0 { parts.append((.warning, "\(plural(high, "open high finding"))")) }
        }
        let levels =
            functions.map(\.health.level) + report.services.flatMap(\.resources).map(\.health.level)
            + report.paths.map(\.health.level) + budgets + quotas
            + [headline.levels.cost, headline.levels.findings].compactMap { $0 }
        let judged = levels.filter { $0 != .noData }
        headline.verdict.level = judged.max() ?? .noData
        headline.verdict.reasons =
            parts.filter { $0.level == .critical }.map(\.reason)
            + parts.filter { $0.level == .warning }.map(\.reason)
    }
}
