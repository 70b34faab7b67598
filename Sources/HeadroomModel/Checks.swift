/// A well-architected rule, written as data (`builtin/checks.yml`, or a project's `checks/`).
public struct Rule: Sendable, Equatable {
    /// What a rule looks at: one kind of resource, or the account as a whole.
    public enum Scope: String, Sendable, Equatable, CaseIterable {
        case function, api, queue, table, stateMachine, stream, eventRule, account

        /// The resource kinds of the service catalog (`kind:` of a namespace) the scope covers.
        public var kinds: [String] {
            switch self {
            case .function: ["function"]
            case .api: ["api"]
            case .queue: ["queue"]
            case .table: ["table"]
            case .stateMachine: ["workflow"]
            case .stream: ["stream", "deliveryStream"]
            case .eventRule: ["eventRule"]
            case .account: []
            }
        }
    }

    public enum Comparison: String, Sendable, Equatable {
        case above, below

        public func holds(_ value: Double, _ threshold: Double) -> Bool {
            self == .above ? value > threshold : value < threshold
        }
    }

    /// The condition vocabulary. Each is judged on the report week's figures.
    public enum Condition: Sendable, Equatable {
        /// A catalog metric's weekly figure (its rollup: sum, max, min or mean) against a threshold.
        case metric(name: String, statistic: String?, Comparison, Double)
        /// `of` ÷ `to` × 100 against a threshold in percent, when `to` is at least `minimumVolume`.
        case ratio(of: String, to: String, Comparison, Double, minimumVolume: Double)
        /// A fact of the Lambda inventory or of its REPORT lines.
        case inventory(InventoryPredicate)
        /// A quota's peak this week ÷ its limit × 100.
        case quota(Comparison, Double)
        /// An SLO's remaining error budget in percent.
        case sloBudget(Comparison, Double)
        /// An SLO's burn rate this week.
        case sloBurn(Comparison, Double)
        /// The week's cost against the week before, in percent, per AWS service.
        case costChange(Comparison, Double)
        /// Any daily cost spike this week.
        case costSpike
    }

    public enum InventoryPredicate: Sendable, Equatable {
        /// Neither a dead-letter queue nor an on-failure destination is configured.
        case noDeadLetter
        /// X-Ray active tracing is off.
        case tracingOff
        /// The runtime's end of support (from the rule's table of runtimes) is on or before the
        /// week's end.
        case deprecatedRuntime([String: RuntimeSupport])
        case timeoutAbove(seconds: Int)
        /// Weekly p99 Duration above this share of the timeout, in percent.
        case durationOfTimeoutAbove(percent: Double)
        /// REPORT lines ending in a timeout this week.
        case timeouts
        /// p99 of Max Memory Used ÷ Memory Size above this percent (exhaustion risk).
        case memoryUsedAbove(percent: Double)
        /// p99 of Max Memory Used ÷ Memory Size below this percent, on at least 128 MB more than needed.
        case memoryUsedBelow(percent: Double)
        /// Cold starts ÷ REPORT lines above this percent.
        case coldStartsAbove(percent: Double)
        /// No reserved concurrency.
        case noReservedConcurrency
        /// Runs on x86_64: arm64 is about 20% cheaper per GB-second.
        case x86
        /// Logs are plain text, not JSON.
        case textLogs
        /// An environment variable named like a secret (SECRET, PASSWORD, TOKEN, API_KEY, PRIVATE_KEY).
        case secretLikeEnvironment
        /// Account concurrency: the week's peak ConcurrentExecutions ÷ the account limit above this percent.
        case accountConcurrencyAbove(percent: Double)
    }

    public var id: String
    public var title: String
    public var pillar: Pillar
    public var severity: Severity
    public var scope: Scope
    public var condition: Condition
    /// Glob patterns: only resources whose names match (all when empty).
    public var match: [String]
    /// Markdown.
    public var rationale: String
    /// Markdown.
    public var remediation: String
    /// http(s) links.
    public var references: [String]
    /// `builtin/checks.yml:12` or `checks/dlq.yml:3`.
    public var source: String

    public init(
        id: String, title: String, pillar: Pillar, severity: Severity, scope: Scope, condition: Condition,
        match: [String] = [], rationale: String = "", remediation: String = "", references: [String] = [],
        source: String
    ) {
        self.id = id
        self.title = title
        self.pillar = pillar
        self.severity = severity
        self.scope = scope
        self.condition = condition
        self.match = match
        self.rationale = rationale
        self.remediation = remediation
        self.references = references
        self.source = source
    }
}

extension Rule.Condition {
    /// The condition's one threshold, if it has one: what `headroom.yml` can override.
    public var threshold: Double? {
        switch self {
        case .metric(_, _, _, let value), .ratio(_, _, _, let value, _), .quota(_, let value),
            .sloBudget(_, let value), .sloBurn(_, let value), .costChange(_, let value):
            value
        case .inventory(let predicate):
            switch predicate {
            case .timeoutAbove(let seconds): Double(seconds)
            case .durationOfTimeoutAbove(let value), .memoryUsedAbove(let value), .memoryUsedBelow(let value),
                .coldStartsAbove(let value), .accountConcurrencyAbove(let value):
                value
            default: nil
            }
        case .costSpike: nil
        }
    }

    /// The same condition with another threshold; nil when it has none.
    public func with(threshold value: Double) -> Rule.Condition? {
        switch self {
        case .metric(let name, let statistic, let comparison, _):
            .metric(name: name, statistic: statistic, comparison, value)
        case .ratio(let of, let to, let comparison, _, let volume):
            .ratio(of: of, to: to, comparison, value, minimumVolume: volume)
        case .quota(let comparison, _): .quota(comparison, value)
        case .sloBudget(let comparison, _): .sloBudget(comparison, value)
        case .sloBurn(let comparison, _): .sloBurn(comparison, value)
        case .costChange(let comparison, _): .costChange(comparison, value)
        case .inventory(let predicate):
            switch predicate {
            case .timeoutAbove: .inventory(.timeoutAbove(seconds: Int(value)))
            case .durationOfTimeoutAbove: .inventory(.durationOfTimeoutAbove(percent: value))
            case .memoryUsedAbove: .inventory(.memoryUsedAbove(percent: value))
            case .memoryUsedBelow: .inventory(.memoryUsedBelow(percent: value))
            case .coldStartsAbove: .inventory(.coldStartsAbove(percent: value))
            case .accountConcurrencyAbove: .inventory(.accountConcurrencyAbove(percent: value))
            default: nil
            }
        case .costSpike: nil
        }
    }
}

/// A Lambda runtime's dates from AWS's runtime deprecation table, as days since 1970-01-01.
public struct RuntimeSupport: Sendable, Equatable {
    /// The deprecation date: no more security patches or support.
    public var deprecated: Int64
    /// From when AWS blocks creating functions on the runtime; nil when the table has none.
    public var blockCreate: Int64?
    /// From when AWS blocks updating functions on the runtime; nil when the table has none.
    public var blockUpdate: Int64?

    public init(deprecated: Int64, blockCreate: Int64? = nil, blockUpdate: Int64? = nil) {
        self.deprecated = deprecated
        self.blockCreate = blockCreate
        self.blockUpdate = blockUpdate
    }
}
