import Foundation
import HeadroomModel
import Testing

@testable import HeadroomAnalysis

/// Every condition kind of the rule vocabulary, and every life-cycle transition, on hand-made reports.
@Suite struct ChecksTests {
    static let w47 = ISOWeek(year: 2026, week: 47)
    static let zone = TimeZone(identifier: "UTC")!

    static func metric(_ name: String, _ stat: String = "Sum") -> ServiceCatalog.Metric {
        ServiceCatalog.Metric(name: name, stat: stat, unit: "Count", role: .volume, bad: .higher, rollup: .sum)
    }

    static func signal(_ name: String, _ value: Double, stat: String = "Sum") -> Signal {
        Signal(metric: metric(name, stat), current: value, previous: nil, percent: nil, formula: "")
    }

    static func function(_ name: String, signals: [Signal] = [], p99: Double? = nil, logs: LogFigures? = nil)
        -> FunctionReport
    {
        FunctionReport(
            name: name, service: "s",
            current: FunctionWeek(
                invocations: 10_000, errors: 0, throttles: 0, errorRate: 0, p50: nil,
                p99: p99.map { WeeklyPercentile(value: $0, exact: true) }, peakConcurrency: 40, activeHours: 168),
            previous: nil, timeoutSeconds: 10, health: HealthStatus(level: .ok, reasons: []), signals: signals,
            logs: logs, previousLogs: nil, sources: [], warnings: [])
    }

    static func logs(memory: Double? = nil, cold: Int = 0, timeouts: Int = 0) -> LogFigures {
        LogFigures(
            invocations: 100, coldStarts: cold, coldStartPercent: Double(cold), initP50: nil, initP99: nil,
            durationP50: 1, durationP90: 1, durationP99: 1, memoryP99: memory, timeouts: timeouts, sources: [])
    }

    static func report(
        functions: [FunctionReport] = [], resources: [ResourceReport] = [], week: ISOWeek = w47,
        quotas: [QuotaReport] = [], slos: [SLOReport] = [], cost: CostWeek? = nil
    ) -> Report {
        Report(
            title: "t", week: ReportWeek(week: week, interval: week.interval(in: zone), timeZone: "UTC"),
            weeksWithData: [week],
            services: [ServiceReport(name: "s", functions: functions, resources: resources, totals: .init())],
            paths: [], cost: cost, lambdaEstimate: nil, slos: slos, quotas: quotas, sources: [], notes: [],
            warnings: [],
            coverage: [
                Coverage(
                    week: week,
                    entries: Coverage.Kind.allCases.map { .init(kind: $0, level: .complete, files: ["x"], reasons: []) }
                )
            ])
    }

    static func rule(_ id: String, _ scope: Rule.Scope, _ condition: Rule.Condition, match: [String] = []) -> Rule {
        Rule(
            id: id, title: id, pillar: .reliability, severity: .high, scope: scope, condition: condition, match: match,
            source: "test")
    }

    func evaluate(
        _ rules: [Rule], _ report: Report, inventory: [LambdaFunction] = [], reserved: [String: Int?] = [:],
        limit: Int? = nil, critical: Set<String> = []
    ) -> [String] {
        Analysis.evaluate(
            rules, report: report, inventory: Dictionary(uniqueKeysWithValues: inventory.map { ($0.name, $0) }),
            reserved: reserved, accountLimit: limit, criticalFunctions: critical
        ).map { "\($0.ruleId) \($0.kind):\($0.resource): \($0.evidence)" }
    }

    @Test func metricAndRatioConditionsOnFunctionsAndResources() {
        let report = Self.report(
            functions: [
                Self.function(
                    "busy",
                    signals: [Self.signal("Errors", 30), Self.signal("Invocations", 1000), Self.signal("Throttles", 2)]),
                Self.function("quiet", signals: [Self.signal("Errors", 3), Self.signal("Invocations", 100)]),
            ],
            resources: [
                ResourceReport(
                    kind: "queue", namespace: "AWS/SQS", name: "orders-dlq", service: "s",
                    signals: [Self.signal("ApproximateNumberOfMessagesVisible", 7, stat: "Maximum")],
                    health: HealthStatus(level: .ok, reasons: []), sources: []),
                ResourceReport(
                    kind: "queue", namespace: "AWS/SQS", name: "orders", service: "s",
                    signals: [Self.signal("ApproximateNumberOfMessagesVisible", 9, stat: "Maximum")],
                    health: HealthStatus(level: .ok, reasons: []), sources: []),
            ])
        #expect(
            evaluate(
                [
                    Self.rule("throttles", .function, .metric(name: "Throttles", statistic: nil, .above, 0)),
                    // 3 % on 1,000 fires; "quiet" has 3 % too, but under the minimum volume of 500.
                    Self.rule(
                        "errors", .function, .ratio(of: "Errors", to: "Invocations", .above, 1, minimumVolume: 500)),
                    Self.rule(
                        "dlq", .queue,
                        .metric(name: "ApproximateNumberOfMessagesVisible", statistic: "Maximum", .above, 0),
                        match: ["*-dlq"]),
                    Self.rule(
                        "wrong-stat", .queue,
                        .metric(name: "ApproximateNumberOfMessagesVisible", statistic: "Average", .above, 0)),
                ], report)
                == [
                    "throttles function:busy: Throttles 2 this week, above 0",
                    "errors function:busy: Errors ÷ Invocations = 30 ÷ 1,000 = 3.00% this week, above 1.00%",
                    "dlq queue:orders-dlq: ApproximateNumberOfMessagesVisible Maximum 7 this week, above 0",
                ])
    }

    @Test func inventoryPredicates() {
        let sunday = Self.w47.mondayDays + 6
        let report = Self.report(functions: [
            Self.function(
                "a", signals: [Self.signal("AsyncEventsDropped", 0)], p99: 9_000,
                logs: Self.logs(memory: 95, cold: 12, timeouts: 3)),
            Self.function("b", p99: 1_000, logs: Self.logs(memory: 10)),
        ])
        let inventory = [
            LambdaFunction(
                name: "a", runtime: "python3.8", memoryMB: 1024, timeoutSeconds: 10, architecture: "x86_64",
                tracingMode: "PassThrough", logFormat: "Text", environmentVariableNames: ["DB_PASSWORD", "REGION"],
                source: "f.json"),
            LambdaFunction(
                name: "b", runtime: "python3.12", memoryMB: 1024, timeoutSeconds: 900, architecture: "arm64",
                tracingMode: "Active", deadLetterTarget: "arn:aws:sqs:eu-central-1:1:dlq", logFormat: "JSON",
                source: "f.json"),
        ]
        let rules: [Rule] = [
            Self.rule("dlq", .function, .inventory(.noDeadLetter)),
            Self.rule("tracing", .function, .inventory(.tracingOff)),
            // python3.8's end of support is set to the week's Sunday: it counts; python3.12's is a day later.
            Self.rule(
                "runtime", .function,
                .inventory(
                    .deprecatedRuntime([
                        "python3.8": RuntimeSupport(
                            deprecated: sunday, blockCreate: sunday - 1, blockUpdate: sunday + 1),
                        "python3.12": RuntimeSupport(deprecated: sunday + 1),
                    ]))),
            Self.rule("timeout", .function, .inventory(.timeoutAbove(seconds: 300))),
            Self.rule("near", .function, .inventory(.durationOfTimeoutAbove(percent: 80))),
            Self.rule("timeouts", .function, .inventory(.timeouts)),
            Self.rule("memory-high", .function, .inventory(.memoryUsedAbove(percent: 90))),
            Self.rule("memory-low", .function, .inventory(.memoryUsedBelow(percent: 30))),
            Self.rule("cold", .function, .inventory(.coldStartsAbove(percent: 5))),
            Self.rule("reserve", .function, .inventory(.noReservedConcurrency)),
            Self.rule("x86", .function, .inventory(.x86)),
            Self.rule("text", .function, .inventory(.textLogs)),
            Self.rule("secret", .function, .inventory(.secretLikeEnvironment)),
        ]
        #expect(
            evaluate(rules, report, inventory: inventory, reserved: ["b": 5], critical: ["a", "b"])
                == [
                    "dlq function:a: no DeadLetterConfig in the inventory; asynchronous or event-source signals this week",
                    "tracing function:a: TracingConfig.Mode is PassThrough",
                    "runtime function:a: python3.8: end of support 22 Nov 2026; creating functions blocked since 21 Nov 2026;"
                        + " updates blocked from 23 Nov 2026",
                    "timeout function:b: timeout 900 s, above 300 s",
                    "near function:a: Duration p99 9.00 s is 90.00% of the 10 s timeout",
                    "timeouts function:a: 3 REPORT lines of 100 ended in a timeout",
                    "memory-high function:a: p99 of Max Memory Used is 95.00% of the memory size",
                    "memory-low function:b: p99 of Max Memory Used is 10.00% of 1024 MB",
                    "cold function:a: 12 cold starts in 100 REPORT lines: 12.00%",
                    "reserve function:a: on a critical path, no reserved concurrency",
                    "x86 function:a: architecture x86_64",
                    "text function:a: LoggingConfig.LogFormat is Text",
                    "secret function:a: environment variables DB_PASSWORD",
                ])
    }

    @Test func accountConditions() {
        let quota = QuotaReport(
            service: "lambda", code: "L-B99A9384", name: "Concurrent executions", limit: 200, adjustable: true,
            peak: 170,
            p95: nil, utilisation: 85, status: .warning, weeklyPeaks: [], projection: .notGrowing, source: "q.json",
            usage: "u")
        let slo = SLOReport(
            name: "api", displayName: "API", service: nil, target: 0.999,
            window: SLOWindow(count: 28, unit: .day, isRolling: true), budgeting: .occurrences, status: .computed,
            interval: nil, good: nil, total: nil, attainment: nil, budgetEvents: nil, budgetConsumedPercent: 112,
            weekBurnRate: 7.5, source: "slo.yaml")
        var cost = CostWeek(
            metric: "UnblendedCost", currency: "USD", total: 130, previousTotal: 100,
            services: [.init(name: "Lambda", current: 90, previous: 60), .init(name: "S3", current: 40, previous: 40)],
            days: 7, estimated: false, month: "2026-11", monthToDate: 400, monthForecast: 550,
            lambdaCostPerMillionInvocations: nil, costPerMillionSuccessfulInvocations: nil, monthlyBudget: nil,
            spikes: [])
        cost.spikes = [.init(service: "Lambda", day: "2026-11-19", amount: 30, baseline: 10)]
        let report = Self.report(quotas: [quota], slos: [slo], cost: cost)
        #expect(
            evaluate(
                [
                    Self.rule("quota", .account, .quota(.above, 80)),
                    Self.rule("budget", .account, .sloBudget(.below, 0)),
                    Self.rule("burn", .account, .sloBurn(.above, 6)),
                    Self.rule("growth", .account, .costChange(.above, 25)),
                    Self.rule("spike", .account, .costSpike),
                    Self.rule("concurrency", .account, .inventory(.accountConcurrencyAbove(percent: 80))),
                ], report, limit: 200)
                == [
                    "quota account:Concurrent executions: peak 170 of 200: 85.00% used",
                    "budget account:API: −12.00% of the error budget left",
                    "burn account:API: burn rate 7.5× this week",
                    "growth account:Lambda: 90.00 USD this week against 60.00 USD: +50.0%",
                    "spike account:Lambda: 2026-11-19: 30.00 USD against a usual 10.00 USD",
                    "concurrency account:Lambda concurrency: peak 170 of 200 concurrent executions: 85.00%",
                ])
    }

    static func finding(_ rule: String, _ resource: String) -> CheckFinding {
        CheckFinding(
            ruleId: rule, title: rule, pillar: .reliability, severity: .high, resource: resource, kind: "function",
            service: nil, evidence: "", origin: "test", rationale: "", remediation: "", references: [], source: .metrics
        )
    }

    @Test func lifeCycleAcrossWeeks() {
        let weeks = (41...47).map { ISOWeek(year: 2026, week: $0) }
        // A: W41–W47 every week. B: W41, gone W42, back W43. C: W45 only. D: every week, muted until
        // W46's Sunday (15 Nov): muted in W46, active again in W47 with its expired mute.
        let present: [Int: [String]] = [
            41: ["A", "B", "D"], 42: ["A", "D"], 43: ["A", "B", "D"], 44: ["A", "B", "D"], 45: ["A", "B", "C", "D"],
            46: ["A", "B", "D"], 47: ["A", "B", "D"],
        ]
        var reports = weeks.map { week in
            var report = Self.report(week: week)
            report.findings = present[week.week]!.map { Self.finding("rule-\($0)", $0) }
            return report
        }
        let mute = Configuration.Mute(
            rule: "rule-D", resource: "D*", reason: "accepted", owner: "Ann",
            expires: Instant.days(year: 2026, month: 11, day: 15))
        reports = Analysis.lifecycle(reports, mutes: [mute])
        func states(_ week: Int) -> [String] {
            reports[week - 41].findings.map {
                "\($0.resource) \($0.state.rawValue) since \($0.since.map { "W\($0.week)" } ?? "-") ×\($0.occurrences)"
            }
        }
        #expect(states(41) == ["A new since W41 ×1", "B new since W41 ×1", "D muted since W41 ×1"])
        #expect(states(42) == ["A recurring since W41 ×2", "D muted since W41 ×2", "B resolved since W41 ×1"])
        #expect(states(43) == ["A recurring since W41 ×3", "B regressed since W43 ×2", "D muted since W41 ×3"])
        #expect(
            states(46) == [
                "A recurring since W41 ×6", "B recurring since W43 ×5", "D muted since W41 ×6",
                "C resolved since W45 ×1",
            ])
        #expect(states(47) == ["A recurring since W41 ×7", "B recurring since W43 ×6", "D recurring since W41 ×7"])
        let d = reports[6].findings.first { $0.resource == "D" }
        #expect(d?.muteExpired == true && d?.mute?.owner == "Ann")
        #expect(reports[6].findings.first { $0.resource == "A" }?.history.count == 6)
    }
}

/// A finding is resolved only in a week its source covered: absence of a source is not good news.
@Suite struct CoverageTests {
    let zone = TimeZone(identifier: "UTC")!

    /// Two weeks of one Lambda metric, so both weeks have data, plus the given files and findings.
    func dataset(_ files: [(path: String, format: SourceFormat)], findings: [Finding]) -> Dataset {
        let start = ISOWeek(year: 2026, week: 45).interval(in: zone).lowerBound.seconds
        let series = MetricSeries(
            identity: .metric(
                MetricStat(
                    namespace: "AWS/Lambda", metricName: "Invocations",
                    dimensions: [MetricDimension(name: "FunctionName", value: "pay")], stat: "Sum", period: 3600)),
            label: "pay",
            points: (0..<(21 * 24)).map { Point(time: Instant(seconds: start + Int64($0) * 3600), value: 1) },
            source: "snapshots/m.json")
        return Dataset(
            series: [series], findings: findings,
            sources: [SourceFile(path: "snapshots/m.json", status: .read(.cloudWatchGetMetricData))]
                + files.map { SourceFile(path: $0.path, status: .read($0.format)) })
    }

    /// A namespace the catalog does not know is read, and the report says it is not used.
    @Test func seriesOfAnUnknownNamespaceAreNamedAsNotUsed() {
        var data = dataset([], findings: [])
        let start = ISOWeek(year: 2026, week: 47).interval(in: zone).lowerBound.seconds
        data.series.append(
            MetricSeries(
                identity: .metric(
                    MetricStat(
                        namespace: "AWS/EC2", metricName: "CPUUtilization",
                        dimensions: [MetricDimension(name: "InstanceId", value: "i-1")], stat: "Average", period: 3600)),
                label: "cpu", points: [Point(time: Instant(seconds: start + 3600), value: 40)],
                source: "snapshots/ec2.json"
            ))
        var configuration = Configuration()
        configuration.timeZone = "UTC"
        configuration.week = ISOWeek(year: 2026, week: 47)
        let warnings = Analysis.report(data, configuration: configuration).warnings
        #expect(
            warnings.contains(
                "Read but not used: 1 series of AWS/EC2 this week (snapshots/ec2.json): the catalog has no metrics for"
                    + " that namespace; collect only the namespaces it lists"))
        #expect(!warnings.contains { $0.contains("AWS/Lambda") })
    }

    /// Metrics are covered per namespace: SQS stopped sending after W45, Lambda kept on.
    @Test func metricsAreCoveredPerNamespace() {
        var data = dataset([], findings: [])
        let start = ISOWeek(year: 2026, week: 45).interval(in: zone).lowerBound.seconds
        data.series.append(
            MetricSeries(
                identity: .metric(
                    MetricStat(
                        namespace: "AWS/SQS", metricName: "NumberOfMessagesSent",
                        dimensions: [MetricDimension(name: "QueueName", value: "q")], stat: "Sum", period: 3600)),
                label: "q", points: [Point(time: Instant(seconds: start + 3600), value: 4)],
                warnings: [], source: "snapshots/sqs.json"))
        data.sources.append(SourceFile(path: "snapshots/sqs.json", status: .read(.cloudWatchGetMetricData)))
        let coverage = Analysis.coverage(
            data, weeks: [ISOWeek(year: 2026, week: 45), ISOWeek(year: 2026, week: 46)], zone: zone)
        #expect(
            coverage[0].namespaces.map { "\($0.name) \($0.level) \($0.files)" } == [
                #"AWS/Lambda complete ["snapshots/m.json"]"#, #"AWS/SQS complete ["snapshots/sqs.json"]"#,
            ])
        #expect(coverage[1].namespaces.map { "\($0.name) \($0.level)" } == ["AWS/Lambda complete", "AWS/SQS absent"])
        // The kind as a whole still covers W46: one namespace sent data.
        #expect(coverage[1].level(.metrics) == .complete)
    }

    func flagged(_ week: Int, tool: Finding.Tool = .trustedAdvisor, path: String) -> Finding {
        Finding(
            tool: tool, id: "ta-1", ruleId: "L4dfs2Q3C3", title: "Lambda over-provisioned", pillar: nil,
            severity: .medium, status: .failed, resource: "pay", resourceType: nil,
            observedAt: Instant(seconds: ISOWeek(year: 2026, week: week).interval(in: zone).lowerBound.seconds + 7200),
            source: path)
    }

    /// The findings of each week, through analysis and the life cycle, as "state (last seen)".
    func states(_ dataset: Dataset) -> [String: [String]] {
        var configuration = Configuration()
        configuration.timeZone = "UTC"
        let reports = (45...47).map { week -> Report in
            configuration.week = ISOWeek(year: 2026, week: week)
            return Analysis.report(dataset, configuration: configuration)
        }
        var result: [String: [String]] = [:]
        for report in Analysis.lifecycle(reports, mutes: []) {
            result[report.week!.week.description] = report.findings.filter { $0.ruleId.hasPrefix("trusted") }.map {
                $0.state.rawValue + ($0.lastSeen.map { " (last seen \($0))" } ?? "")
            }
        }
        return result
    }

    @Test func aWeekWithoutTheToolsFileIsNotCheckedNotResolved() {
        // W45: flagged. W46: no Trusted Advisor file at all. W47: a file that no longer flags it.
        let data = dataset(
            [
                ("snapshots/2026-W45/ta.json", .trustedAdvisor),
                ("snapshots/2026-W47/ta.json", .trustedAdvisor),
            ], findings: [flagged(45, path: "snapshots/2026-W45/ta.json")])
        #expect(
            states(data) == [
                "2026-W45": ["new"], "2026-W46": ["unchecked (last seen 2026-W45)"], "2026-W47": ["resolved"],
            ])
        var configuration = Configuration()
        configuration.week = ISOWeek(year: 2026, week: 46)
        let coverage = Analysis.report(data, configuration: configuration).coverage
        #expect(coverage.map(\.week.description) == ["2026-W45", "2026-W46"])
        #expect(coverage.last?.level(.trustedAdvisor) == .absent)
        #expect(coverage.first?.entries.first { $0.kind == .trustedAdvisor }?.files == ["snapshots/2026-W45/ta.json"])
        #expect(coverage.last?.level(.metrics) == .complete)
    }

    @Test func notCheckedThenSeenAgainIsStillOpen() {
        let data = dataset(
            [
                ("snapshots/2026-W45/ta.json", .trustedAdvisor),
                ("snapshots/2026-W47/ta.json", .trustedAdvisor),
            ],
            findings: [
                flagged(45, path: "snapshots/2026-W45/ta.json"), flagged(47, path: "snapshots/2026-W47/ta.json"),
            ])
        #expect(
            states(data) == [
                "2026-W45": ["new"], "2026-W46": ["unchecked (last seen 2026-W45)"], "2026-W47": ["recurring"],
            ])
    }

    @Test func aFileThatSaysPagesAreMissingIsPartial() {
        var data = dataset([("snapshots/2026-W46/ta.json", .trustedAdvisor)], findings: [])
        data.sources[1].warnings = ["NextToken is set: later pages are missing"]
        var configuration = Configuration()
        configuration.week = ISOWeek(year: 2026, week: 46)
        let coverage = Analysis.report(data, configuration: configuration).coverage.last!
        #expect(coverage.level(.trustedAdvisor) == .partial)
        #expect(
            coverage.entries.first { $0.kind == .trustedAdvisor }?.reasons == [
                "snapshots/2026-W46/ta.json: NextToken is set: later pages are missing"
            ])
        // Partial coverage is still coverage: a finding absent from it is resolved.
        #expect(coverage.covers(.trustedAdvisor))
    }
}

@Suite struct ImportedFindingTests {
    @Test func failedFindingsOfTheWeekOnTheSameScale() {
        let week = ISOWeek(year: 2026, week: 47).interval(in: TimeZone(identifier: "UTC")!)
        let inWeek = Instant(seconds: week.lowerBound.seconds + 3600)
        let later = Instant(seconds: week.lowerBound.seconds + 7200)
        let findings = [
            Finding(
                tool: .securityHub, id: "arn:finding/1", ruleId: "Lambda.2",
                title: "Lambda functions should use supported runtimes",
                pillar: nil, severity: .high, status: .passed, resource: "arn:aws:lambda:eu-central-1:1:function:pay",
                resourceType: "AwsLambdaFunction", observedAt: inWeek,
                source: "sh.json"),
            // The same finding observed later in the week: the latest wins, and it failed.
            Finding(
                tool: .securityHub, id: "arn:finding/1", ruleId: "Lambda.2",
                title: "Lambda functions should use supported runtimes",
                pillar: nil, severity: .high, status: .failed, resource: "arn:aws:lambda:eu-central-1:1:function:pay",
                resourceType: "AwsLambdaFunction", observedAt: later,
                source: "sh.json"),
            // Observed the week before: not this week's.
            Finding(
                tool: .prowler, id: "p-1", ruleId: "awslambda_function_url_public", title: "Public function URL",
                pillar: nil, severity: .critical, status: .failed, resource: "g",
                observedAt: Instant(seconds: week.lowerBound.seconds - 10), source: "prowler.json"),
            Finding(
                tool: .trustedAdvisor, id: "ta-1", ruleId: "gW7HH0l7J9", title: "gW7HH0l7J9", pillar: nil,
                severity: .medium, status: .failed,
                details: [
                    .init(key: "0", value: .text("eu-central-1")), .init(key: "1", value: .text("CloudFormation")),
                    .init(key: "2", value: .text("Stacks")),
                ], source: "ta.json"),
        ]
        let checks = [
            TrustedAdvisorCheck(
                id: "gW7HH0l7J9", name: "CloudFormation Stacks", category: "service_limits", columns: [],
                source: "c.json")
        ]
        let isoWeek = ISOWeek(year: 2026, week: 47)
        let imported = Analysis.imported(findings, week: week, isoWeek: isoWeek, checks: checks).sorted {
            $0.ruleId < $1.ruleId
        }
        #expect(imported.map(\.ruleId) == ["security-hub:Lambda.2", "trusted-advisor:gW7HH0l7J9"])
        #expect(imported.map(\.pillar) == [.security, .reliability])
        // A function's ARN becomes its name, so the finding sits on the function's page.
        #expect(imported[0].resource == "pay", "\(imported[0].resource)")
        #expect(imported[0].kind == "function" && imported[0].origin == "sh.json", "\(imported[0].kind)")
        #expect(
            imported[1].title == "CloudFormation Stacks"
                && imported[1].resource == "eu-central-1 · CloudFormation · Stacks")
    }

    /// A finding without a date belongs to the week folder its file sits in, like its tool's
    /// coverage: a Trusted Advisor file of W44 says nothing about W47.
    @Test func anUndatedFindingCountsInItsWeekFolderOnly() {
        let week = ISOWeek(year: 2026, week: 47)
        func finding(_ source: String) -> Finding {
            Finding(
                tool: .trustedAdvisor, id: "ta-\(source)", ruleId: "Hs4Ma3G127", title: "Lambda over-provisioned",
                pillar: nil, severity: .medium, status: .failed, source: source)
        }
        let findings = [
            finding("snapshots/2026-W44/ta.json"), finding("snapshots/2026-W47/ta.json"), finding("ta-anywhere.json"),
        ]
        let interval = week.interval(in: TimeZone(identifier: "UTC")!)
        #expect(
            Set(Analysis.imported(findings, week: interval, isoWeek: week).map(\.origin))
                == ["snapshots/2026-W47/ta.json", "ta-anywhere.json"])
        let w44 = ISOWeek(year: 2026, week: 44)
        #expect(
            Set(
                Analysis.imported(findings, week: w44.interval(in: TimeZone(identifier: "UTC")!), isoWeek: w44).map(
                    \.origin))
                == ["snapshots/2026-W44/ta.json", "ta-anywhere.json"])
    }
}

@Suite struct SettleTests {
    func finding(_ rule: String, _ resource: String, service: String?, severity: Severity = .low) -> CheckFinding {
        var finding = ChecksTests.finding(rule, resource)
        finding.service = service
        finding.severity = severity
        finding.evidence = "e-\(resource)"
        return finding
    }

    @Test func ownersAcknowledgementsAndAggregation() {
        var configuration = Configuration(services: [
            .init(name: "checkout", match: ["checkout-*"], owner: "Jonas"), .init(name: "jobs", match: ["job-*"]),
        ])
        configuration.checks.owner = "Platform"
        configuration.checks.aggregate = ["tracing"]
        configuration.checks.acknowledgements = [
            .init(rule: "p99", resource: "checkout-*", by: "Jonas", note: "moving to async in W49")
        ]
        let settled = Analysis.settle(
            [
                finding("tracing", "job-b", service: "jobs"), finding("tracing", "job-a", service: "jobs"),
                finding("p99", "checkout-pay", service: "checkout", severity: .high),
                finding("p99", "job-a", service: "jobs", severity: .high),
                finding("quota", "Stacks", service: nil, severity: .medium),
            ], configuration: configuration)
        #expect(
            settled.map { "\($0.ruleId) \($0.resource) \($0.owner ?? "-") \($0.acknowledgement?.by ?? "-")" } == [
                "p99 checkout-pay Jonas Jonas", "p99 job-a Platform -", "quota Stacks Platform -",
                "tracing every function it matches Platform -",
            ])
        #expect(settled.last?.evidence == "2 functions: job-a (e-job-a); job-b (e-job-b)")
        // One aggregated finding keeps its fingerprint whatever the resources it covers.
        let fewer = Analysis.settle(
            [finding("tracing", "job-a", service: "jobs"), finding("tracing", "job-c", service: "jobs")],
            configuration: configuration)
        #expect(fewer.map(\.fingerprint) == [settled.last!.fingerprint])
    }
}

@Suite struct GateTests {
    @Test func eachConditionOnAHandMadeWeek() {
        var report = ChecksTests.report(
            quotas: [
                QuotaReport(
                    service: "cloudformation", code: "L-1", name: "Stacks", limit: 2000, adjustable: true, peak: 1822,
                    p95: nil, utilisation: 91.1, status: .warning, weeklyPeaks: [], projection: .notGrowing,
                    source: "q.json", usage: "u")
            ],
            slos: [
                SLOReport(
                    name: "api", displayName: "API", service: nil, target: 0.999,
                    window: SLOWindow(count: 28, unit: .day, isRolling: true), budgeting: .occurrences,
                    status: .computed, interval: nil, good: nil, total: nil, attainment: nil, budgetEvents: nil,
                    budgetConsumedPercent: 104, weekBurnRate: nil, source: "slo.yaml")
            ],
            cost: CostWeek(
                metric: "UnblendedCost", currency: "USD", total: 125, previousTotal: 100, services: [], days: 7,
                estimated: false, month: "2026-11", monthToDate: 0, monthForecast: 0,
                lambdaCostPerMillionInvocations: nil, costPerMillionSuccessfulInvocations: nil, monthlyBudget: nil,
                spikes: []))
        var fresh = ChecksTests.finding("dlq", "orders-dlq")
        fresh.severity = .critical
        var old = ChecksTests.finding("x86", "f")
        old.severity = .critical
        old.state = .recurring
        var high = ChecksTests.finding("errors", "g")
        high.state = .regressed
        report.findings = [fresh, old, high]
        let gates: [Configuration.Gate] = [
            .init(name: "budget", condition: .budgetExhausted),
            .init(name: "critical", condition: .newFinding(.critical)),
            .init(name: "high", condition: .newFinding(.high)),
            .init(name: "cost 20", condition: .costGrowthAbove(20)),
            .init(name: "cost 30", condition: .costGrowthAbove(30)),
            .init(name: "quota 90", condition: .quotaAbove(90), warnOnly: true),
            .init(name: "quota 95", condition: .quotaAbove(95)),
        ]
        let results = Analysis.gates(gates, report: report)
        #expect(
            results.map(\.failures) == [
                ["API: −4.00% of the error budget left"],
                ["critical dlq on orders-dlq (new): "],
                ["critical dlq on orders-dlq (new): ", "high errors on g (regressed): "],
                ["125.00 USD this week against 100.00 USD: +25.0%"],
                [],
                ["Stacks: 91.10% of 2,000 used"],
                [],
            ])
        #expect(results.map(\.passed) == [false, false, false, false, true, false, true])
    }
}
