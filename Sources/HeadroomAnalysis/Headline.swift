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

    public init() {}

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
    /// The report's headline figures, from its functions and findings (made again once the
    /// findings' life cycle is known, by `weeks`).
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
        return headline
    }
}
