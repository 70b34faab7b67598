import Foundation
import HeadroomAnalysis
import HeadroomModel

/// `report.json`: the week's report for machines, versioned by `schemas/report.schema.json`.
/// Money is a decimal string (never floating point); a figure that is not known is absent, never 0.
struct ReportJSON: Encodable {
    static let schemaVersion = "1.4"

    var schemaVersion = Self.schemaVersion
    var title: String
    var generator: String
    var week: String?
    var timeZone: String?
    var functions: [FunctionJSON]
    var slos: [SLOJSON]
    var quotas: [QuotaJSON]
    var cost: CostJSON?
    var costMonths: [CostMonthJSON]
    var findings: [FindingJSON]
    var errorGroups: [ErrorGroupJSON]
    /// The functions whose logs were read for the week: where an error group can be resolved.
    var errorLogFunctions: [String]
    /// X-Ray's view of the week, from sampled traces; absent without X-Ray data for the week.
    var traces: TracesJSON?
    var changes: [ChangeJSON]
    var headline: HeadlineJSON
    var coverage: [CoverageJSON]
    var metricNamespaces: [CoverageJSON.Namespace]

    /// The overview's figures: the week's verdict, the tiles' levels and their sums.
    struct HeadlineJSON: Encodable {
        var verdict: Verdict
        var levels: Levels
        var functions: Int
        var invocations: Double?
        var previousInvocations: Double?
        var errors: Double?
        var previousErrors: Double?
        var errorRatePercent: Double?
        var previousErrorRatePercent: Double?
        var nearestTimeout: NearestTimeout?
        var findings: Findings?

        struct Verdict: Encodable {
            var level: String
            var reasons: [String]
        }

        struct Levels: Encodable {
            var latency: String?
            var cost: String?
            var budget: String?
            var findings: String?
            var quota: String?
        }

        struct NearestTimeout: Encodable {
            var function: String
            var p99Milliseconds: Double
            var p99Exact: Bool
            var previousP99Milliseconds: Double?
            var timeoutSeconds: Int
            var sharePercent: Double
        }

        struct Findings: Encodable {
            var open: Int
            var unchecked: Int
            var serious: Int
            var fresh: Int
            var resolved: Int
        }

        init(_ headline: Headline) {
            verdict = Verdict(level: headline.verdict.level.rawValue, reasons: headline.verdict.reasons)
            let levels = headline.levels
            self.levels = Levels(
                latency: levels.latency?.rawValue, cost: levels.cost?.rawValue, budget: levels.budget?.rawValue,
                findings: levels.findings?.rawValue, quota: levels.quota?.rawValue)
            functions = headline.functions
            invocations = headline.invocations
            previousInvocations = headline.previousInvocations
            errors = headline.errors
            previousErrors = headline.previousErrors
            errorRatePercent = headline.errorRate
            previousErrorRatePercent = headline.previousErrorRate
            nearestTimeout = headline.nearestTimeout.map {
                NearestTimeout(
                    function: $0.function, p99Milliseconds: $0.p99.value, p99Exact: $0.p99.exact,
                    previousP99Milliseconds: $0.previousP99, timeoutSeconds: $0.timeoutSeconds,
                    sharePercent: $0.share * 100)
            }
            findings = headline.findings.map {
                Findings(
                    open: $0.open, unchecked: $0.unchecked, serious: $0.serious, fresh: $0.fresh, resolved: $0.resolved)
            }
        }
    }

    struct CoverageJSON: Encodable {
        var kind: String
        var level: String
        var files: [String]
        var reasons: [String]

        struct Namespace: Encodable {
            var name: String
            var level: String
            var files: [String]
            var reasons: [String]
        }
    }

    struct FunctionJSON: Encodable {
        var name: String
        var service: String
        var health: String
        var invocations: Double?
        var errors: Double?
        var errorRatePercent: Double?
        var throttles: Double?
        var p99Milliseconds: Double?
        /// false when the p99 is the highest hourly value (an upper bound).
        var p99Exact: Bool?
        var timeoutSeconds: Int?
    }

    struct SLOJSON: Encodable {
        var name: String
        var displayName: String?
        var service: String?
        var target: Double
        var attainment: Double?
        var budgetLeftPercent: Double?
        var burnRate: Double?
        var status: String
    }

    struct QuotaJSON: Encodable {
        var service: String
        var code: String
        var name: String
        var limit: Double
        var peak: Double?
        var utilisationPercent: Double?
        var status: String
        var projection: String
    }

    struct CostJSON: Encodable {
        var metric: String
        var currency: String
        var total: String
        var previousTotal: String?
        var services: [Service]
        struct Service: Encodable {
            var name: String
            var current: String?
            var previous: String?
        }
    }

    struct CostMonthJSON: Encodable {
        var month: String
        var amount: String
        /// `monthly` or `daily`.
        var basis: String
        var days: Int
        var daysInMonth: Int
        var estimated: Bool
    }

    struct FindingJSON: Encodable {
        var fingerprint: String
        var rule: String
        var title: String
        var pillar: String
        var severity: String
        var kind: String
        var resource: String
        var state: String
        var source: String
        var lastSeen: String?
        var since: String?
        var occurrences: Int
        var evidence: String
        var owner: String?
    }

    struct ErrorGroupJSON: Encodable {
        var id: String
        var fingerprint: String
        var title: String
        var kind: String
        var type: String
        var message: String
        var frame: String?
        var state: String
        /// Absent for a group not checked this week.
        var events: Int?
        var firstSeen: String?
        var lastSeen: String?
        var since: String?
        var lastSeenWeek: String?
        var functions: [Hit]
        var weeks: [Week]
        var query: String
        var owner: String?

        struct Hit: Encodable {
            var function: String
            var service: String
            var versions: [String]
            var events: Int
        }

        struct Week: Encodable {
            var week: String
            /// Absent for a week whose logs were not read.
            var events: Int?
        }
    }

    struct TracesJSON: Encodable {
        var sampled: Int
        var faults: Int
        var errors: Int
        var throttles: Int
        var traced: Int
        var graphPartial: Bool
        var nodes: [Node]
        var edges: [Edge]
        var paths: [TracePath]
        var slowest: [Trace]
        var failing: [Trace]

        struct Node: Encodable {
            var name: String
            var type: String
            var requests: Int
            var faultPercent: Double?
            var errorPercent: Double?
            var throttlePercent: Double?
            var p50Seconds: Double?
            var p99Seconds: Double?
            var health: String
        }

        struct Edge: Encodable {
            var from: String
            var to: String
            var requests: Int
            var faultPercent: Double?
            var errorPercent: Double?
            var throttlePercent: Double?
            var p50Seconds: Double?
            var p99Seconds: Double?
        }

        struct TracePath: Encodable {
            var entry: String
            var hops: [Hop]
            var traces: Int
            var following: Int
            var configured: String?
            var disagreement: String?
            struct Hop: Encodable {
                var name: String
                var shareP50Percent: Double
                var shareP99Percent: Double
            }
        }

        struct Trace: Encodable {
            var id: String
            var start: String?
            var durationSeconds: Double?
            var fault: Bool
            var error: Bool
            var throttle: Bool
            var coldStart: Bool
        }

        init(_ traces: TraceReport) {
            sampled = traces.sampled
            faults = traces.faults
            errors = traces.errors
            throttles = traces.throttles
            traced = traces.traced
            graphPartial = traces.graphPartial
            let names = Dictionary(traces.nodes.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
            nodes = traces.nodes.map {
                Node(
                    name: $0.name, type: $0.type, requests: $0.requests, faultPercent: $0.faultPercent,
                    errorPercent: $0.errorPercent, throttlePercent: $0.throttlePercent, p50Seconds: $0.p50,
                    p99Seconds: $0.p99, health: $0.level.rawValue)
            }
            edges = traces.edges.map {
                Edge(
                    from: names[$0.from] ?? $0.from, to: names[$0.to] ?? $0.to, requests: $0.requests,
                    faultPercent: $0.faultPercent, errorPercent: $0.errorPercent, throttlePercent: $0.throttlePercent,
                    p50Seconds: $0.p50, p99Seconds: $0.p99)
            }
            paths = traces.paths.map { path in
                TracePath(
                    entry: path.entry,
                    hops: path.hops.map {
                        .init(name: $0.name, shareP50Percent: $0.shareP50, shareP99Percent: $0.shareP99)
                    },
                    traces: path.traces, following: path.following, configured: path.configured,
                    disagreement: path.disagreement)
            }
            func trace(_ trace: TraceView) -> Trace {
                Trace(
                    id: trace.id, start: trace.start?.description, durationSeconds: trace.duration, fault: trace.fault,
                    error: trace.error, throttle: trace.throttle, coldStart: trace.coldStart)
            }
            slowest = traces.slowest.map(trace)
            failing = traces.failing.map(trace)
        }
    }

    struct ChangeJSON: Encodable {
        var impact: String
        var area: String
        var text: String
    }

    init(_ report: Report, generator: String) {
        func money(_ value: Decimal) -> String { NSDecimalNumber(decimal: value).stringValue }
        title = report.title
        self.generator = generator
        week = report.week?.week.description
        timeZone = report.week?.timeZone
        functions = report.functions.map {
            FunctionJSON(
                name: $0.name, service: $0.service, health: $0.health.level.rawValue,
                invocations: $0.current.invocations, errors: $0.current.errors, errorRatePercent: $0.current.errorRate,
                throttles: $0.current.throttles, p99Milliseconds: $0.current.p99?.value,
                p99Exact: $0.current.p99?.exact,
                timeoutSeconds: $0.timeoutSeconds)
        }
        slos = report.slos.map { slo in
            let status: String =
                switch slo.status {
                case .computed: "computed"
                case .noData: "no data"
                case .notComputed: "not computed"
                }
            return SLOJSON(
                name: slo.name, displayName: slo.displayName, service: slo.service, target: slo.target,
                attainment: slo.attainment, budgetLeftPercent: slo.budgetConsumedPercent.map { 100 - $0 },
                burnRate: slo.weekBurnRate, status: status)
        }
        quotas = report.quotas.map {
            QuotaJSON(
                service: $0.service, code: $0.code, name: $0.name, limit: $0.limit, peak: $0.peak,
                utilisationPercent: $0.utilisation, status: $0.status.rawValue, projection: $0.projection.description)
        }
        cost = report.cost.map { cost in
            CostJSON(
                metric: cost.metric, currency: cost.currency, total: money(cost.total),
                previousTotal: cost.previousTotal.map(money),
                services: cost.services.map {
                    .init(name: $0.name, current: $0.current.map(money), previous: $0.previous.map(money))
                })
        }
        costMonths = report.costMonths.map {
            CostMonthJSON(
                month: $0.month, amount: money($0.amount), basis: $0.basis.rawValue, days: $0.days,
                daysInMonth: $0.daysInMonth, estimated: $0.estimated)
        }
        findings = report.findings.map {
            FindingJSON(
                fingerprint: $0.fingerprint, rule: $0.ruleId, title: $0.title, pillar: $0.pillar.rawValue,
                severity: $0.severity.rawValue, kind: $0.kind, resource: $0.resource, state: $0.state.rawValue,
                source: $0.source.rawValue, lastSeen: $0.lastSeen?.description, since: $0.since?.description,
                occurrences: $0.occurrences, evidence: $0.evidence, owner: $0.owner)
        }
        errorGroups = report.errors.map { group in
            ErrorGroupJSON(
                id: group.id, fingerprint: group.fingerprint, title: group.title, kind: group.kind.rawValue,
                type: group.type, message: group.message, frame: group.frame, state: group.state.rawValue,
                events: group.state == .unchecked ? nil : group.count, firstSeen: group.first?.description,
                lastSeen: group.last?.description, since: group.since?.description,
                lastSeenWeek: group.lastSeen?.description,
                functions: group.functions.map {
                    .init(function: $0.function, service: $0.service, versions: $0.versions, events: $0.count)
                },
                weeks: group.history.map { .init(week: $0.week.description, events: $0.count) }
                    + (report.week.map {
                        [.init(week: $0.week.description, events: group.state == .unchecked ? nil : group.count)]
                    } ?? []),
                query: group.query, owner: group.owner)
        }
        errorLogFunctions = report.errorLogFunctions
        traces = report.traces.map(TracesJSON.init)
        self.changes = report.changes.map {
            ChangeJSON(impact: $0.impact.description, area: $0.area, text: $0.text)
        }
        headline = HeadlineJSON(report.headline)
        coverage =
            report.weekCoverage?.entries.map {
                CoverageJSON(kind: $0.kind.rawValue, level: $0.level.rawValue, files: $0.files, reasons: $0.reasons)
            } ?? []
        metricNamespaces =
            report.weekCoverage?.namespaces.map {
                .init(name: $0.name, level: $0.level.rawValue, files: $0.files, reasons: $0.reasons)
            } ?? []
    }

    /// Sorted keys and indentation: the same bytes for the same report.
    func data() throws(HeadroomError) -> Data {
        do {
            return try JSONEncoder.stable.encode(self)
        } catch {
            throw HeadroomError(.render, file: "report.json", "a figure cannot be written as JSON", underlying: error)
        }
    }
}
