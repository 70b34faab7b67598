import HeadroomModel

/// The complete, typed result of analysis: what the site and every other output show.
public struct Report: Sendable, Codable {
    public var title: String
    /// nil when the sources hold no data at all (see `Analysis.weeksWithData`).
    public var week: ReportWeek?
    /// Every ISO week that has data, oldest first.
    public var weeksWithData: [ISOWeek]
    public var services: [ServiceReport]
    /// The critical paths of `headroom.yml`, in their order.
    public var paths: [PathReport]
    /// The week's cost by service; nil without daily cost data for the week.
    public var cost: CostWeek?
    /// The cost of each month up to the report week's Sunday (the last twelve), from monthly
    /// records where there are some, else from daily ones.
    public var costMonths: [CostMonth] = []
    /// Lambda's cost this week estimated from usage with the price table, reconciled with the
    /// bill when there is one; nil without Duration Sum data or in another currency.
    public var lambdaEstimate: LambdaEstimate?
    /// Error budgets of the OpenSLO objectives, sorted by budget consumed, most first.
    public var slos: [SLOReport]
    /// Quotas with known usage, highest utilisation first.
    public var quotas: [QuotaReport]
    public var sources: [SourceFile]
    public var notes: [Note]
    /// Problems worth a reader's attention (invalid files skipped, series with warnings).
    public var warnings: [String]
    /// Where the site is published, ending in `/`: for the sitemap, the feed and the 404 page.
    public var baseURL: String? = nil
    /// Findings of the rules and of imported tools, most severe first; with their life-cycle state
    /// once `Analysis.lifecycle` has seen the weeks before (resolved ones included).
    public var findings: [CheckFinding] = []
    /// The week's error groups from Lambda logs (`Analysis.errorGroups`), with their life cycle
    /// once `Analysis.errorLifecycle` has seen the weeks before (resolved ones included).
    public var errors: [ErrorGroup] = []
    /// The functions whose logs were collected in the week, sorted: where a group can be resolved.
    public var errorLogFunctions: [String] = []
    /// The week's X-Ray data (`Analysis.traceReport`); nil when the sources hold none for the week.
    public var traces: TraceReport? = nil
    /// What changed against the week before, ranked by impact: set by `Analysis.weeks` with the
    /// findings' life cycle (`Analysis.changes`).
    public var changes: [Change] = []
    /// The headline figures (`Analysis.headline`): set by `Analysis.weeks`, once the findings'
    /// states are known (a report that has not been through it has none).
    public var headline = Headline()
    /// What each week's figures rest on, per kind of source: every week with data up to the
    /// report's week, oldest first, the report's week last.
    public var coverage: [Coverage] = []

    /// The coverage of the report's week.
    public var weekCoverage: Coverage? { coverage.last { $0.week == week?.week } }

    public var functions: [FunctionReport] { services.flatMap(\.functions) }
}

public struct ReportWeek: Sendable, Equatable, Codable {
    public var week: ISOWeek
    public var interval: Range<Instant>
    public var timeZone: String
    public var hours: Int { Int(interval.upperBound.seconds - interval.lowerBound.seconds) / 3600 }
}

public struct ServiceReport: Sendable, Codable {
    public var name: String
    public var description: String?
    /// Sorted by function name.
    public var functions: [FunctionReport]
    /// APIs, workflows, tables, queues, … sorted by namespace and name.
    public var resources: [ResourceReport]
    /// Of the functions.
    public var totals: Totals

    public struct Totals: Sendable, Equatable, Codable {
        public var invocations: Double?
        public var errors: Double?
        public var errorRate: Double?
    }
}

/// One Lambda function's figures for the report week and the week before.
public struct FunctionReport: Sendable, Codable {
    public var name: String
    public var service: String
    public var current: FunctionWeek
    public var previous: FunctionWeek?
    /// From the Lambda inventory (the last file that lists the function), when known.
    public var timeoutSeconds: Int?
    public var health: HealthStatus
    /// Every catalog signal of AWS/Lambda for the function (iterator age, dropped events, …).
    public var signals: [Signal]
    /// The week from REPORT lines, when the sources hold the function's logs.
    public var logs: LogFigures?
    public var previousLogs: LogFigures?
    /// The week's datapoints, for charts.
    public var series = FunctionSeries()
    /// Files with datapoints in the report week or the week before, and the inventory file the
    /// timeout came from, sorted.
    public var sources: [String]
    public var warnings: [String]
}

/// A function's datapoints over the report week (the finest period of each metric), and its
/// invocations over the week before, for charts. Empty where the data have none.
public struct FunctionSeries: Sendable, Equatable, Codable {
    public var invocations: [Point] = []
    public var previousInvocations: [Point] = []
    public var errors: [Point] = []
    public var throttles: [Point] = []
    public var p50: [Point] = []
    public var p90: [Point] = []
    public var p99: [Point] = []
    /// The invocations' period in seconds.
    public var period: Int?
}

/// A percentile over a week. `exact` when CloudWatch computed it over the whole week (a query
/// whose period is the week); otherwise the highest of the finer-period percentiles, an upper bound.
public struct WeeklyPercentile: Sendable, Equatable, Codable {
    public var value: Double
    public var exact: Bool
}

/// Weekly figures of one function. nil means no datapoint in the week: unknown, never zero.
public struct FunctionWeek: Sendable, Equatable, Codable {
    public var invocations: Double?
    public var errors: Double?
    public var throttles: Double?
    /// Errors ÷ invocations × 100; nil without invocations.
    public var errorRate: Double?
    public var p50: WeeklyPercentile?
    public var p99: WeeklyPercentile?
    public var peakConcurrency: Double?
    /// Hours of the week with an Invocations datapoint.
    public var activeHours: Int
}

/// An action item as the review week sees it: its latest state in the notes up to that week.
public struct TrackedAction: Sendable, Equatable, Codable {
    public var item: ActionItem
    /// The week of the first note that lists it.
    public var since: ISOWeek
    /// The week of the latest note that lists it (its state comes from that note).
    public var listed: ISOWeek
    /// Open and due on or before the week's Sunday.
    public var overdue: Bool
}

extension Report {
    /// Every action item of the notes up to the report's week, matched by title: the latest note
    /// that lists an item gives its state. Items done before this week are left out; open items
    /// from earlier weeks carry over. Sorted by the note order of the week that last listed them.
    public var actions: [TrackedAction] {
        guard let week = week?.week else { return [] }
        var tracked: [String: TrackedAction] = [:]
        var order: [String] = []
        for note in notes.filter({ $0.week <= week }).sorted(by: { $0.week < $1.week }) {
            for item in note.actions {
                if let earlier = tracked[item.title] {
                    tracked[item.title] = TrackedAction(
                        item: item, since: earlier.since, listed: note.week, overdue: false)
                    order.removeAll { $0 == item.title }
                } else {
                    tracked[item.title] = TrackedAction(item: item, since: note.week, listed: note.week, overdue: false)
                }
                order.append(item.title)
            }
        }
        let sunday = week.mondayDays + 6
        return order.compactMap { title in
            guard var action = tracked[title], action.listed == week || !action.item.done else { return nil }
            action.overdue = !action.item.done && (action.item.due.map { $0 <= sunday } ?? false)
            return action
        }
    }
}

extension Report {
    /// The report without what only its own week's pages show: the datapoints and distributions
    /// its charts draw, and the catalog signals of its functions and resources (the rows of their
    /// pages, which the checks have read by then). What later weeks need of it (its figures,
    /// health, findings, coverage, changes, headline) at a fraction of the size and of the time
    /// to decode: a week's pages are rendered from its whole report, made again
    /// (`Archive.whole`). The history store keeps archived weeks in this form.
    public var slim: Report {
        var report = self
        for service in report.services.indices {
            for function in report.services[service].functions.indices {
                var item = report.services[service].functions[function]
                item.series = FunctionSeries(period: item.series.period)
                item.signals = []
                item.logs?.durations = []
                item.logs?.starts = []
                item.previousLogs?.durations = []
                item.previousLogs?.starts = []
                report.services[service].functions[function] = item
            }
            for resource in report.services[service].resources.indices {
                report.services[service].resources[resource].signals = []
            }
        }
        if report.traces != nil {
            for index in report.traces!.slowest.indices { report.traces!.slowest[index].spans = [] }
            for index in report.traces!.failing.indices { report.traces!.failing[index].spans = [] }
        }
        return report
    }
}
