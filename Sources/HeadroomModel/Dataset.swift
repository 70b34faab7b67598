/// Everything known for the report, normalised: the input to analysis.
public struct Dataset: Codable, Sendable, Equatable {
    public var series: [MetricSeries]
    public var costs: [CostRecord]
    public var functions: [LambdaFunction]
    public var accountSettings: [LambdaAccountSettings]
    public var reservedConcurrency: [ReservedConcurrency]
    public var provisionedConcurrency: [ProvisionedConcurrency]
    public var quotas: [ServiceQuota]
    public var invocations: [InvocationReport]
    /// Error events from Lambda logs, counted per quarter hour.
    public var errors: [ErrorEvents]
    /// The Lambda log files read, with their function and the span of their events.
    public var logFiles: [LogFile]
    /// X-Ray: service graphs, trace summaries and whole traces.
    public var serviceGraphs: [ServiceGraph]
    public var traceSummaries: [TraceSummary]
    public var traces: [TraceRecord]
    public var slos: [ServiceLevelObjective]
    public var slis: [ServiceLevelIndicator]
    public var sloServices: [SLOService]
    public var findings: [Finding]
    public var trustedAdvisorChecks: [TrustedAdvisorCheck]
    public var lensReviews: [LensReviewSummary]
    public var sources: [SourceFile]
    public var notes: [Note]

    public init(
        series: [MetricSeries] = [], costs: [CostRecord] = [], functions: [LambdaFunction] = [],
        accountSettings: [LambdaAccountSettings] = [], reservedConcurrency: [ReservedConcurrency] = [],
        provisionedConcurrency: [ProvisionedConcurrency] = [], quotas: [ServiceQuota] = [],
        invocations: [InvocationReport] = [], errors: [ErrorEvents] = [], logFiles: [LogFile] = [],
        serviceGraphs: [ServiceGraph] = [], traceSummaries: [TraceSummary] = [], traces: [TraceRecord] = [],
        slos: [ServiceLevelObjective] = [],
        slis: [ServiceLevelIndicator] = [], sloServices: [SLOService] = [], findings: [Finding] = [],
        trustedAdvisorChecks: [TrustedAdvisorCheck] = [], lensReviews: [LensReviewSummary] = [],
        sources: [SourceFile] = [], notes: [Note] = []
    ) {
        self.series = series
        self.costs = costs
        self.functions = functions
        self.accountSettings = accountSettings
        self.reservedConcurrency = reservedConcurrency
        self.provisionedConcurrency = provisionedConcurrency
        self.quotas = quotas
        self.invocations = invocations
        self.errors = errors
        self.logFiles = logFiles
        self.serviceGraphs = serviceGraphs
        self.traceSummaries = traceSummaries
        self.traces = traces
        self.slos = slos
        self.slis = slis
        self.sloServices = sloServices
        self.findings = findings
        self.trustedAdvisorChecks = trustedAdvisorChecks
        self.lensReviews = lensReviews
        self.sources = sources
        self.notes = notes
    }

    private enum CodingKeys: String, CodingKey {
        case series, costs, functions, accountSettings, reservedConcurrency, provisionedConcurrency, quotas
        case invocations, errors, logFiles, serviceGraphs, traceSummaries, traces, slos, slis, sloServices, findings,
            trustedAdvisorChecks, lensReviews
        case sources, notes
    }

    /// Decodes what the store kept. A fragment stored before errors were read from logs has no
    /// `errors` or `logFiles`: it reads as no log file searched for errors, so its week's error
    /// groups are "not checked", never "resolved".
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        series = try c.decode([MetricSeries].self, forKey: .series)
        costs = try c.decode([CostRecord].self, forKey: .costs)
        functions = try c.decode([LambdaFunction].self, forKey: .functions)
        accountSettings = try c.decode([LambdaAccountSettings].self, forKey: .accountSettings)
        reservedConcurrency = try c.decode([ReservedConcurrency].self, forKey: .reservedConcurrency)
        provisionedConcurrency = try c.decode([ProvisionedConcurrency].self, forKey: .provisionedConcurrency)
        quotas = try c.decode([ServiceQuota].self, forKey: .quotas)
        invocations = try c.decode([InvocationReport].self, forKey: .invocations)
        errors = try c.decodeIfPresent([ErrorEvents].self, forKey: .errors) ?? []
        logFiles = try c.decodeIfPresent([LogFile].self, forKey: .logFiles) ?? []
        serviceGraphs = try c.decodeIfPresent([ServiceGraph].self, forKey: .serviceGraphs) ?? []
        traceSummaries = try c.decodeIfPresent([TraceSummary].self, forKey: .traceSummaries) ?? []
        traces = try c.decodeIfPresent([TraceRecord].self, forKey: .traces) ?? []
        slos = try c.decode([ServiceLevelObjective].self, forKey: .slos)
        slis = try c.decode([ServiceLevelIndicator].self, forKey: .slis)
        sloServices = try c.decode([SLOService].self, forKey: .sloServices)
        findings = try c.decode([Finding].self, forKey: .findings)
        trustedAdvisorChecks = try c.decode([TrustedAdvisorCheck].self, forKey: .trustedAdvisorChecks)
        lensReviews = try c.decode([LensReviewSummary].self, forKey: .lensReviews)
        sources = try c.decode([SourceFile].self, forKey: .sources)
        notes = try c.decode([Note].self, forKey: .notes)
    }

    /// Appends everything another (partial) dataset holds.
    public mutating func append(_ other: Dataset) {
        series += other.series
        costs += other.costs
        functions += other.functions
        accountSettings += other.accountSettings
        reservedConcurrency += other.reservedConcurrency
        provisionedConcurrency += other.provisionedConcurrency
        quotas += other.quotas
        invocations += other.invocations
        errors += other.errors
        logFiles += other.logFiles
        serviceGraphs += other.serviceGraphs
        traceSummaries += other.traceSummaries
        traces += other.traces
        slos += other.slos
        slis += other.slis
        sloServices += other.sloServices
        findings += other.findings
        trustedAdvisorChecks += other.trustedAdvisorChecks
        lensReviews += other.lensReviews
        sources += other.sources
        notes += other.notes
    }

    /// Records of every kind except series and notes, for counting what a file held.
    public var recordCount: Int {
        costs.count + functions.count + accountSettings.count + reservedConcurrency.count
            + provisionedConcurrency.count + quotas.count
            + invocations.count + errors.count + serviceGraphs.count + traceSummaries.count + traces.count + slos.count
            + slis.count + sloServices.count + findings.count
            + trustedAdvisorChecks.count + lensReviews.count
    }
}

/// One input file and what became of it: the rows of the Sources page.
public struct SourceFile: Codable, Sendable, Equatable {
    public enum Status: Codable, Sendable, Equatable {
        case read(SourceFormat)
        /// Zero bytes or only white space: nothing to read.
        case empty
        /// Invalid and skipped (only with `onInvalidInput: warn`).
        case invalid(String)
        /// Not an input format (by its extension), so not read: why, and what to do.
        case ignored(String)
    }
    /// Relative to the project.
    public var path: String
    public var status: Status
    public var seriesCount: Int
    public var pointCount: Int
    /// Records other than series: cost lines, functions, quotas, invocations, …
    public var recordCount: Int
    public var warnings: [String]

    public init(
        path: String, status: Status, seriesCount: Int = 0, pointCount: Int = 0, recordCount: Int = 0,
        warnings: [String] = []
    ) {
        self.path = path
        self.status = status
        self.seriesCount = seriesCount
        self.pointCount = pointCount
        self.recordCount = recordCount
        self.warnings = warnings
    }
}

/// A team's Markdown note for one week, front matter already split off.
public struct Note: Codable, Sendable, Equatable {
    public var week: ISOWeek
    public var path: String
    public var authors: [String]
    /// The Markdown body, unrendered.
    public var body: String
    /// Incidents from the front matter: drawn as markers on the charts they overlap.
    public var incidents: [Incident]
    /// The front matter's `title`, shown instead of "Notes for <week>".
    public var title: String?
    /// Action items from the front matter, in their order.
    public var actions: [ActionItem]

    public init(
        week: ISOWeek, path: String, authors: [String], body: String, incidents: [Incident] = [],
        title: String? = nil, actions: [ActionItem] = []
    ) {
        self.week = week
        self.path = path
        self.authors = authors
        self.body = body
        self.incidents = incidents
        self.title = title
        self.actions = actions
    }
}

/// An action item from a note: what, who, by when, and whether it is done. An open item stays on
/// the review, week after week, until a later note lists the same title as done.
public struct ActionItem: Codable, Sendable, Equatable {
    public var title: String
    public var owner: String?
    /// The due date as days since 1970-01-01 (a civil date, no zone).
    public var due: Int64?
    public var done: Bool

    public init(title: String, owner: String?, due: Int64?, done: Bool) {
        self.title = title
        self.owner = owner
        self.due = due
        self.done = done
    }
}

/// Something that happened, from a note: a title, a start, and an end when it is known.
public struct Incident: Codable, Sendable, Equatable {
    public var title: String
    public var start: Instant
    public var end: Instant?

    public init(title: String, start: Instant, end: Instant?) {
        self.title = title
        self.start = start
        self.end = end
    }
}
