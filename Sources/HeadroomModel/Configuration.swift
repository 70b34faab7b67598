import Foundation

/// The report project's `headroom.yml`, validated. See the README's configuration reference.
public struct Configuration: Sendable, Equatable {
    public var title: String
    public var baseURL: String?
    /// An IANA time-zone identifier; weeks are ISO weeks in this zone.
    public var timeZone: String
    /// `timeZone` as a zone (UTC when the identifier is unknown; the loader refuses those).
    public var zone: TimeZone { TimeZone(identifier: timeZone) ?? TimeZone(identifier: "UTC")! }
    /// An ISO 4217 code.
    public var currency: String
    /// The week to report on; nil means the latest week present in the data.
    public var week: ISOWeek?
    public var sources: [Source]
    public var services: [Service]
    /// Critical paths: chains of resources whose combined health is reported.
    public var paths: [CriticalPath]
    /// Folder of weekly Markdown notes, relative to the project.
    public var notes: String
    /// Folder of template overrides, relative to the project.
    public var templates: String
    public var onInvalidInput: InvalidInputPolicy
    public var health: HealthRules
    public var quotas: QuotaThresholds
    public var cost: CostRules
    public var checks = CheckRules()
    /// Quality gates for `headroom check` and `headroom build --check`.
    public var gates: [Gate] = []
    /// `archive:` in headroom.yml: what the site keeps of earlier weeks.
    public var archive = Archive()
    /// `errors:` in headroom.yml: how error events group, who owns the groups, and mutes.
    public var errors = ErrorRules()

    /// `errors:` in headroom.yml.
    public struct ErrorRules: Sendable, Equatable {
        /// Tried in order; the first that matches an event names its group.
        public var fingerprints: [Fingerprint] = []
        /// Mutes of groups: `rule` is "error", `resource` the group's id or a glob on its title.
        public var mutes: [Mute] = []
        /// Who answers for groups on functions of no service with an owner.
        public var owner: String?
        public init() {}
    }

    /// A fingerprint rule, as Sentry's: events whose type, normalised message and function match
    /// the globs given become one group with this name, whatever their other parts.
    public struct Fingerprint: Sendable, Equatable {
        public var type: String?
        public var message: String?
        public var function: String?
        public var group: String
        /// `headroom.yml:<line>`, for the group's page.
        public var origin: String
        public init(type: String?, message: String?, function: String?, group: String, origin: String) {
            self.type = type
            self.message = message
            self.function = function
            self.group = group
            self.origin = origin
        }
    }

    /// What the site keeps of earlier weeks. A function page is the bulk of a week (a large team's
    /// 1,000 are about 115 MB); every other page of every week is kept.
    public struct Archive: Sendable, Equatable {
        /// Weeks, the review week included, whose function pages are kept; an older week's
        /// function pages say what was kept and link to what remains. 0 keeps every week's.
        public var functionPageWeeks = 6
        public init() {}
    }

    /// A gate: a condition on the week's report that fails the check (or only warns).
    public struct Gate: Sendable, Equatable {
        public enum Condition: Sendable, Equatable {
            /// An SLO's error budget is exhausted.
            case budgetExhausted
            /// A finding new or back this week, at this severity or worse.
            case newFinding(Severity)
            /// The week's total cost grew more than this % against the week before.
            case costGrowthAbove(Double)
            /// A quota's peak is above this % of its limit.
            case quotaAbove(Double)
            /// An error group new or back this week, of one of these kinds (any kind when empty).
            case newErrorGroup([ErrorKind])
        }
        public var name: String
        public var condition: Condition
        /// Report without failing.
        public var warnOnly: Bool
        public init(name: String, condition: Condition, warnOnly: Bool = false) {
            self.name = name
            self.condition = condition
            self.warnOnly = warnOnly
        }
    }

    /// `checks:` in headroom.yml: the project's rule folder, and changes to the rules.
    public struct CheckRules: Sendable, Equatable {
        /// Folder of the project's own rules, relative to the project.
        public var folder = "checks"
        /// Rule ids that are not evaluated.
        public var disable: [String] = []
        /// Per rule id: another severity, another threshold.
        public var overrides: [String: Override] = [:]
        public var mutes: [Mute] = []
        /// Findings someone has seen and is working on: they stay open, with the note beside them.
        public var acknowledgements: [Acknowledgement] = []
        /// Rule ids whose findings are one per rule, listing the resources, instead of one per resource
        /// (for parts that tolerate the condition, such as tracing on internal jobs).
        public var aggregate: [String] = []
        /// Who answers for findings outside any service (account rules, imported findings).
        public var owner: String?
        public init() {}
    }

    public struct Acknowledgement: Sendable, Equatable, Codable {
        public var rule: String
        /// A glob on the resource name.
        public var resource: String
        public var by: String
        public var note: String
        public init(rule: String, resource: String, by: String, note: String) {
            self.rule = rule
            self.resource = resource
            self.by = by
            self.note = note
        }
    }

    public struct Override: Sendable, Equatable {
        public var severity: Severity?
        public var threshold: Double?
        public init(severity: Severity? = nil, threshold: Double? = nil) {
            self.severity = severity
            self.threshold = threshold
        }
    }

    /// A finding accepted for now: rule and resource (a glob), why, who, and until when.
    public struct Mute: Sendable, Equatable, Codable {
        public var rule: String
        public var resource: String
        public var reason: String
        public var owner: String
        /// Days since 1970-01-01: the mute holds through this day.
        public var expires: Int64
        public init(rule: String, resource: String, reason: String, owner: String, expires: Int64) {
            self.rule = rule
            self.resource = resource
            self.reason = reason
            self.owner = owner
            self.expires = expires
        }
    }

    public struct Source: Sendable, Equatable {
        /// A file or folder relative to the project.
        public var path: String
        /// nil: detect each file's format from its content.
        public var format: SourceFormat?
        /// What get-metric-statistics output measures, for files without a query file beside them.
        public var metric: MetricRequest?
        public init(path: String, format: SourceFormat? = nil, metric: MetricRequest? = nil) {
            self.path = path
            self.format = format
            self.metric = metric
        }
    }

    /// A `get-metric-statistics` request, written in `headroom.yml`.
    public struct MetricRequest: Sendable, Equatable {
        public var namespace: String
        public var name: String
        public var dimensions: [MetricDimension]
        public var period: Int
        public var statistics: [String]
        public var extendedStatistics: [String]

        public init(
            namespace: String, name: String, dimensions: [MetricDimension] = [], period: Int,
            statistics: [String] = [], extendedStatistics: [String] = []
        ) {
            self.namespace = namespace
            self.name = name
            self.dimensions = dimensions.sorted()
            self.period = period
            self.statistics = statistics
            self.extendedStatistics = extendedStatistics
        }
    }

    public struct Service: Sendable, Equatable {
        public var name: String
        public var description: String?
        /// Glob patterns (`*`, `?`) matched against resource names such as Lambda function names.
        public var match: [String]
        /// Tags a function must all carry (from `get-function` inventory) to belong to the service.
        public var tags: [String: String]
        /// Who answers for the service's findings.
        public var owner: String?
        public init(
            name: String, description: String? = nil, match: [String], tags: [String: String] = [:],
            owner: String? = nil
        ) {
            self.name = name
            self.description = description
            self.match = match
            self.tags = tags
            self.owner = owner
        }
    }

    /// A critical path such as "checkout": API → function → queue → function → table. Each step
    /// names a resource (a function, API, queue, table, … as its name appears in the data);
    /// `kind:name` (e.g. `queue:orders`) picks one kind when names are shared.
    public struct CriticalPath: Sendable, Equatable {
        public var name: String
        public var description: String?
        public var steps: [String]
        public init(name: String, description: String? = nil, steps: [String]) {
            self.name = name
            self.description = description
            self.steps = steps
        }
    }

    /// Thresholds of the per-function health status.
    public struct HealthRules: Sendable, Equatable {
        /// Error rate (%) below which errors at high volume are transient noise.
        public var errorRateFloor: Double
        /// Invocations a week below which every error counts.
        public var lowVolume: Int
        /// p99 duration as a % of the timeout that warns, and that is critical.
        public var timeoutWarning: Double
        public var timeoutCritical: Double

        public init(
            errorRateFloor: Double = 0.1, lowVolume: Int = 1000, timeoutWarning: Double = 80,
            timeoutCritical: Double = 95
        ) {
            self.errorRateFloor = errorRateFloor
            self.lowVolume = lowVolume
            self.timeoutWarning = timeoutWarning
            self.timeoutCritical = timeoutCritical
        }
    }

    /// A monthly budget, and when a day's cost is a spike.
    public struct CostRules: Sendable, Equatable {
        /// In the configured currency; nil for no budget.
        public var monthlyBudget: Decimal?
        /// A day is a spike when it is this many % above the same weekday's average of the
        /// trailing four weeks…
        public var spikePercent: Decimal
        /// …and at least this much above it, so that cents do not alarm anyone.
        public var spikeMinimum: Decimal
        /// A Lambda price table replacing the built-in one, relative to the project.
        public var lambdaPrices: String?
        /// Whether the Lambda estimate deducts the always-free tier.
        public var freeTier: Bool
        /// `cost.athena`: the export table `scripts/collect-aws.sh --with athena` queries.
        public var athena: AthenaTable?

        public init(
            monthlyBudget: Decimal? = nil, spikePercent: Decimal = 50, spikeMinimum: Decimal = 10,
            lambdaPrices: String? = nil, freeTier: Bool = true
        ) {
            self.monthlyBudget = monthlyBudget
            self.spikePercent = spikePercent
            self.spikeMinimum = spikeMinimum
            self.lambdaPrices = lambdaPrices
            self.freeTier = freeTier
        }
    }

    /// `cost.athena` in headroom.yml: an AWS Data Exports table (FOCUS 1.x or CUR 2.0) that Athena
    /// queries, as its Glue catalog names it, and where the query runs. Every name is checked when
    /// headroom.yml is read (`ConfigurationLoader`), so each can go into SQL quoted and into a
    /// request as it is.
    public struct AthenaTable: Sendable, Equatable {
        public enum Export: String, Sendable, Equatable, CaseIterable {
            case focus
            case cur2
        }
        public var database: String
        public var table: String
        public var export: Export
        /// The Athena workgroup; `primary` unless set.
        public var workgroup: String
        /// `s3://bucket/prefix/` for the results; the workgroup's own when nil.
        public var outputLocation: String?

        public init(
            database: String, table: String, export: Export, workgroup: String = "primary",
            outputLocation: String? = nil
        ) {
            self.database = database
            self.table = table
            self.export = export
            self.workgroup = workgroup
            self.outputLocation = outputLocation
        }
    }

    /// Quota utilisation (%) that warns and that is critical; Trusted Advisor uses 80 and 100.
    public struct QuotaThresholds: Sendable, Equatable {
        public var warning: Double
        public var critical: Double
        public init(warning: Double = 80, critical: Double = 100) {
            self.warning = warning
            self.critical = critical
        }
    }

    public enum InvalidInputPolicy: String, Sendable, CaseIterable {
        /// Stop the build, leaving the previous site in place.
        case fail
        /// Skip the file, warn on the console and on the site.
        case warn
    }

    public init(
        title: String = "Operations review", baseURL: String? = nil, timeZone: String = "UTC",
        currency: String = "USD", week: ISOWeek? = nil, sources: [Source] = [Source(path: "snapshots")],
        services: [Service] = [], paths: [CriticalPath] = [], notes: String = "notes", templates: String = "templates",
        onInvalidInput: InvalidInputPolicy = .fail, health: HealthRules = HealthRules(),
        quotas: QuotaThresholds = QuotaThresholds(), cost: CostRules = CostRules()
    ) {
        self.title = title
        self.baseURL = baseURL
        self.timeZone = timeZone
        self.currency = currency
        self.week = week
        self.sources = sources
        self.services = services
        self.paths = paths
        self.notes = notes
        self.templates = templates
        self.onInvalidInput = onInvalidInput
        self.health = health
        self.quotas = quotas
        self.cost = cost
    }
}

/// Input formats Headroom reads. Each is detected by content; `format:` in `headroom.yml` forces one.
public enum SourceFormat: String, Codable, Sendable, CaseIterable {
    case cloudWatchGetMetricData = "cloudwatch-get-metric-data"
    case cloudWatchGetMetricStatistics = "cloudwatch-get-metric-statistics"
    case costExplorer = "cost-explorer"
    case serviceQuotas = "service-quotas"
    case lambdaAccountSettings = "lambda-account-settings"
    case lambdaFunctionConcurrency = "lambda-function-concurrency"
    case lambdaProvisionedConcurrency = "lambda-provisioned-concurrency"
    case lambdaFunctions = "lambda-functions"
    case lambdaLogs = "lambda-logs"
    case openSLO = "openslo"
    case wellArchitected = "wellarchitected"
    case trustedAdvisor = "trusted-advisor"
    case securityHubASFF = "security-hub-asff"
    case prowlerOCSF = "prowler-ocsf"
    case focusCSV = "focus-csv"
    case cur2CSV = "cur2-csv"
    case athenaQueryResults = "athena-query-results"
    case prometheusQuery = "prometheus-query"
    case prometheusText = "prometheus-text"
    case xrayServiceGraph = "xray-service-graph"
    case xrayTraceSummaries = "xray-trace-summaries"
    case xrayTraces = "xray-traces"
}
