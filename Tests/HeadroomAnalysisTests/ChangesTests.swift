import Foundation
import HeadroomModel
import Testing

@testable import HeadroomAnalysis

/// The rules of "what changed this week", each on a hand-made pair of reports.
@Suite struct ChangesTests {
    static let w47 = ISOWeek(year: 2026, week: 47)
    static let zone = TimeZone(identifier: "UTC")!

    func report(
        _ week: ISOWeek, slos: [SLOReport] = [], quotas: [QuotaReport] = [], cost: CostWeek? = nil,
        functions: [FunctionReport] = []
    ) -> Report {
        Report(
            title: "t", week: ReportWeek(week: week, interval: week.interval(in: Self.zone), timeZone: "UTC"),
            weeksWithData: [week],
            services: [ServiceReport(name: "s", functions: functions, resources: [], totals: .init())],
            paths: [], cost: cost, lambdaEstimate: nil, slos: slos, quotas: quotas, sources: [], notes: [],
            warnings: [])
    }

    func slo(_ name: String, consumed: Double?, alerts: [BurnAlert] = []) -> SLOReport {
        SLOReport(
            name: name, displayName: nil, service: nil, target: 0.999,
            window: SLOWindow(count: 28, unit: .day, isRolling: true), budgeting: .occurrences, status: .computed,
            interval: nil, good: nil, total: nil, attainment: nil, budgetEvents: nil, budgetConsumedPercent: consumed,
            weekBurnRate: nil, alerts: alerts, source: "slo.yaml")
    }

    func quota(_ name: String, limit: Double, peaks: [Double]) -> QuotaReport {
        let weeks = (0..<peaks.count).map {
            ISOWeek.containing(civilDays: Self.w47.mondayDays - Int64(7 * (peaks.count - 1 - $0)))
        }
        return QuotaReport(
            service: "lambda", code: "L-1", name: name, limit: limit, adjustable: true, peak: peaks.last, p95: nil,
            utilisation: peaks.last.map { $0 / limit * 100 }, status: .ok,
            weeklyPeaks: zip(weeks, peaks).map { .init(week: $0, peak: $1) }, projection: .notGrowing,
            source: "q.json", usage: "u")
    }

    func function(
        _ name: String, level: HealthStatus.Level, errors: Double = 10, before: Double = 10,
        p99: Double = 100, p99Before: Double = 100
    ) -> FunctionReport {
        func week(_ errors: Double, _ p99: Double) -> FunctionWeek {
            FunctionWeek(
                invocations: 10_000, errors: errors, throttles: 0, errorRate: errors / 100,
                p50: nil, p99: WeeklyPercentile(value: p99, exact: true), peakConcurrency: nil, activeHours: 168)
        }
        return FunctionReport(
            name: name, service: "s", current: week(errors, p99), previous: week(before, p99Before), timeoutSeconds: 1,
            health: HealthStatus(level: level, reasons: level == .ok ? [] : ["a rule fired"]), signals: [], logs: nil,
            previousLogs: nil, sources: [], warnings: [])
    }

    @Test func budgetsCrossingZeroAndAQuarterAndBurningTenPoints() {
        let now = report(
            Self.w47,
            slos: [
                slo("gone", consumed: 104), slo("still-gone", consumed: 130), slo("low", consumed: 80),
                slo("burning", consumed: 50), slo("steady", consumed: 45), slo("new", consumed: 90),
            ])
        let before = report(
            Self.w47.previous,
            slos: [
                slo("gone", consumed: 90), slo("still-gone", consumed: 110), slo("low", consumed: 70),
                slo("burning", consumed: 38), slo("steady", consumed: 40),
            ])
        let changes = Analysis.changes(now, previous: before)
        #expect(
            changes.map(\.text) == [
                "gone: error budget exhausted, −4.00% left (10.00% a week before)",
                "new: under 25% of the error budget left, 10.00%",
                "low: under 25% of the error budget left, 20.00% (30.00% a week before)",
                // Already exhausted a week ago: not news as a crossing, but 20 more points spent are.
                "still-gone: 20.00% of the error budget spent this week, −30.00% left",
                "burning: 12.00% of the error budget spent this week, 50.00% left",
            ])
        #expect(changes.map(\.impact) == [.critical, .warning, .warning, .notice, .notice])
        // "new" has no week before: its first week counts as crossing.
        #expect(changes[1].magnitude == 15 && changes[2].magnitude == 5)
    }

    @Test func oneAlertPerObjectiveTheFastestThatFired() {
        let week = Self.w47.interval(in: Self.zone)
        let inWeek = week.lowerBound..<Instant(seconds: week.lowerBound.seconds + 3600)
        let lastWeek = Instant(seconds: week.lowerBound.seconds - 7200)..<week.lowerBound
        let alerts = [
            BurnAlert(severity: "ticket", burnRate: 3, longWindowSeconds: 1, shortWindowSeconds: 1, episodes: [inWeek]),
            BurnAlert(
                severity: "page", burnRate: 6, longWindowSeconds: 1, shortWindowSeconds: 1, episodes: [inWeek, inWeek]),
            // Fired only last week: not this week's news.
            BurnAlert(
                severity: "page", burnRate: 14.4, longWindowSeconds: 1, shortWindowSeconds: 1, episodes: [lastWeek]),
        ]
        let changes = Analysis.changes(
            report(Self.w47, slos: [slo("api", consumed: nil, alerts: alerts)]), previous: nil)
        #expect(changes.map(\.text) == ["api: page alert at 6× burn, 2 episodes"])
        #expect(changes.map(\.impact) == [.critical])
    }

    @Test func quotasAtTheLimitOverEightyAndRising() {
        let changes = Analysis.changes(
            report(
                Self.w47,
                quotas: [
                    quota("full", limit: 100, peaks: [90, 100]), quota("crossed", limit: 1000, peaks: [700, 850]),
                    quota("already", limit: 10, peaks: [8.5, 9]), quota("rising", limit: 100, peaks: [20, 35]),
                    quota("flat", limit: 100, peaks: [20, 25]),
                ]), previous: nil)
        #expect(
            changes.map(\.text) == [
                "full: at its limit, 100.0% used (90.00% a week before)",
                "crossed: over 80% for the first time, 85.00% used (70.00% a week before)",
                "rising: +15.00 pp to 35.00% used",
            ])
    }

    @Test func costOverBudgetUpTenPercentAndServicesThatMoved() {
        var cost = CostWeek(
            metric: "UnblendedCost", currency: "USD", total: 120, previousTotal: 100,
            services: [], days: 7, estimated: false, month: "2026-11", monthToDate: 400, monthForecast: 550,
            lambdaCostPerMillionInvocations: nil, costPerMillionSuccessfulInvocations: nil, monthlyBudget: 500,
            spikes: [])
        cost.moversByAmount = [
            .init(name: "Lambda", current: 60, previous: 40),  // +50%, 20 USD: shown
            .init(name: "S3", current: 1.5, previous: 1),  // +50% but 0.5 USD < 1% of 120: not shown
            .init(name: "SQS", current: 11, previous: 10),  // +10%: not shown
        ]
        let changes = Analysis.changes(report(Self.w47, cost: cost), previous: nil)
        #expect(
            changes.map(\.text) == [
                "2026-11 forecast 550.00 USD is over the budget of 500.00 USD",
                "Lambda +50.0%: 60.00 USD against 40.00 USD",
                "The week cost 120.00 USD, +20.0% against 100.00 USD",
            ])
        #expect(changes.map(\.impact) == [.critical, .warning, .warning])
    }

    @Test func healthErrorsAndLatencyAgainstTheWeekBefore() {
        let now = report(
            Self.w47,
            functions: [
                function("broke", level: .critical), function("slipped", level: .warning),
                function("healed", level: .ok), function("errors", level: .ok, errors: 300, before: 100),
                function("slow", level: .ok, p99: 850, p99Before: 700),
                function("slower", level: .ok, p99: 500, p99Before: 300),
            ])
        let before = report(
            Self.w47.previous,
            functions: [
                function("broke", level: .ok), function("slipped", level: .ok), function("healed", level: .critical),
                function("errors", level: .ok), function("slow", level: .ok), function("slower", level: .ok),
            ])
        let changes = Analysis.changes(now, previous: before)
        #expect(
            changes.map(\.text) == [
                "broke became critical: a rule fired",
                // Warnings by magnitude: 85% of the timeout, then 3× the errors.
                "slow: p99 850 ms is over 80% of its 1.00 s timeout",
                "errors: error rate 3.00%, 3× the week before",
                "slipped became a warning: a rule fired",
                "slower: p99 500 ms, +66.7% against 300 ms",
                "healed recovered: OK, was critical",
            ])
    }

    /// A finding about something a change above already names says nothing new: it is left out.
    @Test func findingsAboutANamedSubjectAreNotRepeated() {
        var now = report(
            Self.w47, slos: [slo("api", consumed: 110)],
            functions: [function("broke", level: .critical), function("quiet", level: .ok)])
        let before = report(
            Self.w47.previous, slos: [slo("api", consumed: 50)],
            functions: [function("broke", level: .ok), function("quiet", level: .ok)])
        func finding(_ rule: String, _ resource: String, _ kind: String) -> CheckFinding {
            var finding = CheckFinding(
                ruleId: rule, title: rule, pillar: .reliability, severity: .high, resource: resource, kind: kind,
                service: nil, evidence: "", origin: "test", rationale: "", remediation: "", references: [],
                source: .metrics)
            finding.state = .new
            return finding
        }
        now.findings = [
            finding("budget", "api", "account"), finding("errors", "broke", "function"),
            finding("errors", "quiet", "function"),
        ]
        #expect(
            Analysis.changes(now, previous: before).map(\.text) == [
                "api: error budget exhausted, −10.00% left (50.00% a week before)",
                "broke became critical: a rule fired",
                "errors: new on quiet",
            ])
    }

    /// The verdict is the worst part of the week, each tile's level the status of what it shows,
    /// worked out by hand for a week with one exhausted budget, a warning function, a quota at
    /// warning and an open high finding.
    @Test func theVerdictIsTheWorstPartAndSaysWhy() {
        var quota = quota("Concurrent executions", limit: 1000, peaks: [850])
        quota.status = .warning
        var now = report(
            Self.w47, slos: [slo("api", consumed: 110), slo("web", consumed: 80), slo("ok", consumed: 10)],
            quotas: [quota],
            functions: [function("a", level: .warning), function("b", level: .ok), function("c", level: .noData)])
        var finding = CheckFinding(
            ruleId: "r", title: "r", pillar: .reliability, severity: .high, resource: "a", kind: "function",
            service: nil, evidence: "", origin: "test", rationale: "", remediation: "", references: [],
            source: .metrics)
        finding.state = .recurring
        now.findings = [finding]
        let headline = Analysis.headline(now)
        #expect(headline.verdict.level == .critical)
        #expect(
            headline.verdict.reasons == [
                "1 objective out of error budget", "1 objective under 25% of error budget left",
                "1 function at warning", "1 quota at warning", "1 open high finding",
            ])
        #expect(headline.levels.budget == .critical)
        #expect(headline.levels.quota == .warning)
        #expect(headline.levels.findings == .warning)
        #expect(headline.levels.latency == .warning)  // "a": p99 100 ms of a 1 s timeout, and a warning
        #expect(headline.levels.cost == nil)

        let quiet = report(Self.w47, functions: [function("c", level: .noData)])
        #expect(Analysis.headline(quiet).verdict == Headline.Verdict(level: .noData, reasons: []))
        let fine = report(Self.w47, slos: [slo("ok", consumed: 10)], functions: [function("b", level: .ok)])
        #expect(Analysis.headline(fine).verdict == Headline.Verdict(level: .ok, reasons: []))
    }
}
