import Foundation
import HeadroomModel

/// A finding on the week: from a rule of the pack, or imported from a checking tool.
public struct CheckFinding: Sendable, Equatable, Codable {
    /// Where the finding stands against the weeks before.
    public enum State: String, Sendable, Equatable, CaseIterable, Codable {
        /// First seen this week.
        case new
        /// Also present last week.
        case recurring
        /// Seen before, absent last week, back now.
        case regressed
        /// Present last week, and its source covered this week without it.
        case resolved
        /// Present, and muted in headroom.yml until a date not yet passed.
        case muted
        /// Seen before, still open then, and its source did not cover this week: whether it is
        /// still there is not known. Never counted as resolved.
        case unchecked
    }

    public var ruleId: String
    public var title: String
    public var pillar: Pillar
    public var severity: Severity
    /// The resource's name, or the quota, objective or cost service for account rules.
    public var resource: String
    /// function, api, queue, …, or account.
    public var kind: String
    public var service: String?
    /// The figures that made the rule fire.
    public var evidence: String
    /// `builtin/checks.yml:12`, a project's rule file, or the imported file.
    public var origin: String
    public var rationale: String
    public var remediation: String
    public var references: [String]

    public var state: State = .new
    /// The week of the first occurrence of the current run (recurring), or of this one.
    public var since: ISOWeek?
    /// Weeks with this finding, this one included.
    public var occurrences = 1
    /// Every earlier week with this finding, oldest first.
    public var history: [ISOWeek] = []
    /// The mute that applies, or that expired ("mute expired on …").
    public var mute: Configuration.Mute?
    public var muteExpired = false
    /// The owner of the resource's service (or of findings outside services), from headroom.yml.
    public var owner: String?
    public var acknowledgement: Configuration.Acknowledgement?
    /// The kind of source the finding rests on: it is resolved only in a week that source covered.
    public var source: Coverage.Kind
    /// For an unchecked finding: the last week it was seen.
    public var lastSeen: ISOWeek?

    /// Stable across weeks: the rule and the resource.
    public var fingerprint: String { "\(ruleId)|\(kind):\(resource)" }

    public init(
        ruleId: String, title: String, pillar: Pillar, severity: Severity, resource: String, kind: String,
        service: String?, evidence: String, origin: String, rationale: String, remediation: String,
        references: [String], source: Coverage.Kind
    ) {
        self.source = source
        self.ruleId = ruleId
        self.title = title
        self.pillar = pillar
        self.severity = severity
        self.resource = resource
        self.kind = kind
        self.service = service
        self.evidence = evidence
        self.origin = origin
        self.rationale = rationale
        self.remediation = remediation
        self.references = references
    }
}

extension Analysis {
    /// Every rule on every resource of its scope; one finding per rule and resource.
    static func evaluate(
        _ rules: [Rule], report: Report, inventory: [String: LambdaFunction], reserved: [String: Int?],
        accountLimit: Int?, criticalFunctions: Set<String>
    ) -> [CheckFinding] {
        guard let week = report.week else { return [] }
        let sunday = week.week.mondayDays + 6
        var findings: [CheckFinding] = []
        func found(_ rule: Rule, _ resource: String, _ kind: String, _ service: String?, _ evidence: String) {
            findings.append(
                CheckFinding(
                    ruleId: rule.id, title: rule.title, pillar: rule.pillar, severity: rule.severity,
                    resource: resource, kind: kind, service: service, evidence: evidence, origin: rule.source,
                    rationale: rule.rationale, remediation: rule.remediation, references: rule.references,
                    source: rule.condition.source))
        }
        func matches(_ rule: Rule, _ name: String) -> Bool {
            rule.match.isEmpty || rule.match.contains { Glob($0).matches(name) }
        }
        func signal(_ signals: [Signal], _ name: String, _ statistic: String?) -> Signal? {
            signals.first {
                $0.metric.name == name && (statistic == nil || $0.metric.stat == statistic) && $0.current != nil
            }
        }
        /// Metric and ratio conditions, on any resource's catalog signals.
        func judge(_ rule: Rule, signals: [Signal], name: String, kind: String, service: String) {
            switch rule.condition {
            case .metric(let metric, let statistic, let comparison, let threshold):
                guard let hit = signal(signals, metric, statistic), let value = hit.current,
                    comparison.holds(value, threshold)
                else { return }
                found(
                    rule, name, kind, service,
                    "\(hit.metric.label) \(Format.measure(value, unit: hit.metric.unit)) this week, "
                        + "\(comparison.rawValue) \(Format.measure(threshold, unit: hit.metric.unit))")
            case .ratio(let of, let to, let comparison, let threshold, let minimum):
                guard let top = signal(signals, of, nil)?.current, let bottom = signal(signals, to, nil)?.current,
                    bottom >= minimum, bottom > 0
                else { return }
                let ratio = top / bottom * 100
                guard comparison.holds(ratio, threshold) else { return }
                found(
                    rule, name, kind, service,
                    "\(of) ÷ \(to) = \(Format.count(top)) ÷ \(Format.count(bottom)) = \(Format.percent(ratio)) this week, "
                        + "\(comparison.rawValue) \(Format.percent(threshold))"
                )
            default:
                return
            }
        }
        for rule in rules {
            switch rule.scope {
            case .function:
                for function in report.functions where matches(rule, function.name) {
                    let config = inventory[function.name]
                    if case .inventory(let predicate) = rule.condition {
                        if let evidence = Self.inventoryEvidence(
                            predicate, function: function, config: config, reserved: reserved[function.name] ?? nil,
                            critical: criticalFunctions.contains(function.name), sunday: sunday)
                        {
                            found(rule, function.name, "function", function.service, evidence)
                        }
                    } else {
                        judge(
                            rule, signals: function.signals, name: function.name, kind: "function",
                            service: function.service)
                    }
                }
            case .account:
                for (resource, evidence) in Self.accountEvidence(
                    rule.condition, report: report, accountLimit: accountLimit)
                where matches(rule, resource) {
                    found(rule, resource, "account", nil, evidence)
                }
            default:
                for service in report.services {
                    for resource in service.resources
                    where rule.scope.kinds.contains(resource.kind) && matches(rule, resource.name) {
                        judge(
                            rule, signals: resource.signals, name: resource.name, kind: resource.kind,
                            service: service.name)
                    }
                }
            }
        }
        return findings
    }

    /// The evidence when an inventory predicate holds for a function, else nil.
    static func inventoryEvidence(
        _ predicate: Rule.InventoryPredicate, function: FunctionReport, config: LambdaFunction?, reserved: Int?,
        critical: Bool, sunday: Int64
    ) -> String? {
        let logs = function.logs
        switch predicate {
        case .noDeadLetter:
            let asynchronous = function.signals.contains {
                ["AsyncEventsDropped", "DeadLetterErrors", "IteratorAge"].contains($0.metric.name) && $0.current != nil
            }
            guard asynchronous, let config, config.deadLetterTarget == nil else { return nil }
            return "no DeadLetterConfig in the inventory; asynchronous or event-source signals this week"
        case .tracingOff:
            guard let config, config.tracingMode != "Active" else { return nil }
            return "TracingConfig.Mode is \(config.tracingMode ?? "not set")"
        case .deprecatedRuntime(let table):
            guard let runtime = config?.runtime, let support = table[runtime], support.deprecated <= sunday else {
                return nil
            }
            let day = { (days: Int64) in DayLabel.day(days, weekday: false, year: true) }
            var text = "\(runtime): end of support \(day(support.deprecated))"
            if let create = support.blockCreate {
                text +=
                    create <= sunday
                    ? "; creating functions blocked since \(day(create))"
                    : "; creating functions blocked from \(day(create))"
            }
            if let update = support.blockUpdate {
                text +=
                    update <= sunday
                    ? "; updates blocked since \(day(update))" : "; updates blocked from \(day(update))"
            }
            return text
        case .timeoutAbove(let seconds):
            guard let timeout = config?.timeoutSeconds, timeout > seconds else { return nil }
            return "timeout \(timeout) s, above \(seconds) s"
        case .durationOfTimeoutAbove(let percent):
            guard let p99 = function.current.p99?.value, let timeout = function.timeoutSeconds, timeout > 0 else {
                return nil
            }
            let share = p99 / Double(timeout * 1000) * 100
            guard share > percent else { return nil }
            return
                "Duration p99 \(Format.duration(milliseconds: p99)) is \(Format.percent(share)) of the \(timeout) s timeout"
        case .timeouts:
            guard let logs, logs.timeouts > 0 else { return nil }
            return "\(plural(logs.timeouts, "REPORT line")) of \(logs.invocations) ended in a timeout"
        case .memoryUsedAbove(let percent):
            guard let used = logs?.memoryP99, used > percent else { return nil }
            return "p99 of Max Memory Used is \(Format.percent(used)) of the memory size"
        case .memoryUsedBelow(let percent):
            guard let used = logs?.memoryP99, used < percent, let memory = config?.memoryMB,
                Double(memory) * (1 - used / 100) >= 128
            else { return nil }
            return "p99 of Max Memory Used is \(Format.percent(used)) of \(memory) MB"
        case .coldStartsAbove(let percent):
            guard let logs, logs.coldStartPercent > percent else { return nil }
            return
                "\(Format.grouped(Int64(logs.coldStarts))) cold starts in \(Format.grouped(Int64(logs.invocations))) "
                + "REPORT lines: \(Format.percent(logs.coldStartPercent))"
        case .noReservedConcurrency:
            guard critical, reserved == nil else { return nil }
            return "on a critical path, no reserved concurrency"
        case .x86:
            guard config?.architecture == "x86_64" else { return nil }
            return "architecture x86_64"
        case .textLogs:
            guard let config, (config.logFormat ?? "Text") == "Text" else { return nil }
            return "LoggingConfig.LogFormat is \(config.logFormat ?? "not set (Text)")"
        case .secretLikeEnvironment:
            let words = ["SECRET", "PASSWORD", "PASSWD", "TOKEN", "API_KEY", "APIKEY", "PRIVATE_KEY"]
            let names = (config?.environmentVariableNames ?? []).filter { name in
                words.contains { name.uppercased().contains($0) }
            }
            guard !names.isEmpty else { return nil }
            return "environment variables " + names.sorted().joined(separator: ", ")
        case .accountConcurrencyAbove:
            return nil
        }
    }

    /// Account-wide conditions: each (resource, evidence) that holds.
    static func accountEvidence(_ condition: Rule.Condition, report: Report, accountLimit: Int?) -> [(String, String)] {
        switch condition {
        case .quota(let comparison, let threshold):
            return report.quotas.compactMap { quota in
                guard let used = quota.utilisation, comparison.holds(used, threshold) else { return nil }
                return (
                    quota.name,
                    "peak \(Format.count(quota.peak)) of \(Format.count(quota.limit)): \(Format.percent(used)) used"
                )
            }
        case .sloBudget(let comparison, let threshold):
            return report.slos.compactMap { slo in
                guard let consumed = slo.budgetConsumedPercent, comparison.holds(100 - consumed, threshold) else {
                    return nil
                }
                return (
                    slo.displayName ?? slo.name,
                    "\(Format.percent(100 - consumed)) of the error budget left"
                )
            }
        case .sloBurn(let comparison, let threshold):
            return report.slos.compactMap { slo in
                guard let burn = slo.weekBurnRate, comparison.holds(burn, threshold) else { return nil }
                return (slo.displayName ?? slo.name, "burn rate \(ValueUnit.ratio.format(burn)) this week")
            }
        case .costChange(let comparison, let threshold):
            guard let cost = report.cost else { return [] }
            return cost.services.compactMap { service in
                guard let previous = service.previous, previous > 0, let current = service.current else { return nil }
                let change = NSDecimalNumber(decimal: (current - previous) / previous * 100).doubleValue
                guard comparison.holds(change, threshold) else { return nil }
                return (
                    service.name,
                    "\(Format.money(current, cost.currency)) this week against \(Format.money(previous, cost.currency)): "
                        + (Format.change(from: previous, to: current) ?? "")
                )
            }
        case .costSpike:
            guard let cost = report.cost else { return [] }
            return cost.spikes.map { spike in
                (
                    spike.service,
                    "\(spike.day): \(Format.money(spike.amount, cost.currency)) against a usual "
                        + Format.money(spike.baseline, cost.currency)
                )
            }
        case .inventory(.accountConcurrencyAbove(let percent)):
            guard let limit = accountLimit, limit > 0 else { return [] }
            let peak = report.functions.compactMap(\.current.peakConcurrency).max() ?? 0
            let account = report.quotas.first { $0.code == "L-B99A9384" }?.peak
            let used = (account ?? peak) / Double(limit) * 100
            guard used > percent else { return [] }
            return [
                (
                    "Lambda concurrency",
                    "peak \(Format.count(account ?? peak)) of \(Format.grouped(Int64(limit))) concurrent executions: "
                        + Format.percent(used)
                )
            ]
        default:
            return []
        }
    }
}

extension Analysis {
    /// Failed findings of the imported tools, on the same scale. A finding observed at a known time
    /// counts in the week it was observed; one without a time counts in the week folder its file
    /// sits in (`snapshots/2026-W47/…`), or in every week when the file is outside week folders:
    /// the same rule as the tool's coverage, so an undated finding is never placed in a week its
    /// tool did not cover.
    /// Trusted Advisor results carry their check's id and positional metadata: the check's name
    /// (`describe-trusted-advisor-checks`) becomes the title, and its first metadata columns
    /// (region, service, resource) the resource.
    static func imported(
        _ findings: [Finding], week: Range<Instant>, isoWeek: ISOWeek, checks: [TrustedAdvisorCheck] = []
    ) -> [CheckFinding] {
        var latest: [String: Finding] = [:]
        for finding in findings
        where finding.observedAt.map({ week.contains($0) })
            ?? (ISOWeek.folder(of: finding.source).map { $0.week == isoWeek } ?? true)
        {
            if let seen = latest[finding.id],
                (seen.observedAt ?? Instant(seconds: 0)) > (finding.observedAt ?? Instant(seconds: 0))
            {
                continue
            }
            latest[finding.id] = finding
        }
        let names = Dictionary(checks.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        return latest.values.filter { $0.status == .failed }.map { finding in
            var title = finding.title
            var resource = finding.resource ?? finding.id
            var kind = finding.resourceType ?? "account"
            // A Lambda function's ARN becomes its name, so the finding sits on the function's page.
            if ["AwsLambdaFunction", "AWS::Lambda::Function"].contains(finding.resourceType),
                let range = resource.range(of: ":function:")
            {
                resource = String(resource[range.upperBound...].prefix { $0 != ":" })
                kind = "function"
            }
            var pillar =
                finding.pillar
                ?? ([.securityHub, .prowler].contains(finding.tool) ? .security : .operationalExcellence)
            if finding.tool == .trustedAdvisor, let check = names[finding.ruleId] {
                title = check.name
                let categories: [String: Pillar] = [
                    "cost_optimizing": .costOptimization, "security": .security, "fault_tolerance": .reliability,
                    "performance": .performance, "service_limits": .reliability,
                    "operational_excellence": .operationalExcellence,
                ]
                pillar = finding.pillar ?? categories[check.category] ?? pillar
                let columns = finding.details.prefix(3).compactMap { entry -> String? in
                    if case .text(let text) = entry.value, !text.isEmpty { return text }
                    return nil
                }
                if !columns.isEmpty { resource = columns.joined(separator: " · ") }
            }
            return CheckFinding(
                ruleId: "\(finding.tool.rawValue):\(finding.ruleId)", title: title,
                pillar: pillar, severity: finding.severity, resource: resource,
                kind: kind, service: nil,
                evidence: finding.description ?? "\(finding.status.rawValue) in \(finding.tool.rawValue)",
                origin: finding.source, rationale: "",
                remediation: finding.remediation ?? "", references: finding.remediationURL.map { [$0] } ?? [],
                source: Coverage.Kind(finding.tool))
        }
    }

    /// Sets each report's findings' life-cycle state from the weeks before it (`reports` oldest
    /// first), and adds the findings resolved this week and those not checked this week (their
    /// source did not cover it; see `Report.coverage`). A mute applies until its `expires` day
    /// (inclusive, against the week's Sunday); after that the finding is active again and says so.
    /// Owners, acknowledgements and aggregation from `checks:` and `services:` of headroom.yml,
    /// applied to a week's findings before their life cycle. An aggregated rule's findings become
    /// one, on "every function it matches", whose evidence counts and names each.
    public static func settle(_ findings: [CheckFinding], configuration: Configuration) -> [CheckFinding] {
        let checks = configuration.checks
        let owners = Dictionary(
            configuration.services.compactMap { service in service.owner.map { (service.name, $0) } },
            uniquingKeysWith: { a, _ in a })
        var result: [CheckFinding] = []
        for (rule, group) in Dictionary(grouping: findings, by: \.ruleId).sorted(by: { $0.key < $1.key }) {
            if checks.aggregate.contains(rule), group.count > 1 {
                // The resource is the same word every week, so the finding keeps its life cycle
                // while the resources it covers come and go.
                var one = group[0]
                let kinds = Set(group.map(\.kind))
                let kind = kinds.count == 1 ? group[0].kind : "resource"
                one.resource = "every \(kind) it matches"
                one.kind = kinds.count == 1 ? kind : "resources"
                one.service = nil
                one.evidence =
                    plural(group.count, kind) + ": "
                    + group.sorted { $0.resource < $1.resource }.map { "\($0.resource) (\($0.evidence))" }
                    .joined(separator: "; ")
                result.append(one)
            } else {
                result += group
            }
        }
        return result.map { finding in
            var finding = finding
            finding.owner = finding.service.flatMap { owners[$0] } ?? checks.owner
            finding.acknowledgement = checks.acknowledgements.first {
                $0.rule == finding.ruleId && Glob($0.resource).matches(finding.resource)
            }
            return finding
        }.sorted { ($0.severity, $0.ruleId, $0.resource) < ($1.severity, $1.ruleId, $1.resource) }
    }

    public static func lifecycle(_ reports: [Report], mutes: [Configuration.Mute]) -> [Report] {
        var seen: [String: [ISOWeek]] = [:]
        var previous: [String: CheckFinding] = [:]
        var result: [Report] = []
        for var report in reports {
            guard let week = report.week?.week else {
                result.append(report)
                continue
            }
            let sunday = week.mondayDays + 6
            var current: [String: CheckFinding] = [:]
            report.findings = report.findings.map { finding in
                var finding = finding
                let history = seen[finding.fingerprint] ?? []
                finding.history = history
                finding.occurrences = history.count + 1
                if previous[finding.fingerprint] != nil {
                    // Open last week, or not checked since it was last seen open.
                    finding.state = .recurring
                    finding.since = previous[finding.fingerprint]?.since ?? history.last
                } else {
                    finding.state = history.isEmpty ? .new : .regressed
                    finding.since = week
                }
                if let mute = mutes.first(where: {
                    $0.rule == finding.ruleId && Glob($0.resource).matches(finding.resource)
                }) {
                    finding.mute = mute
                    if mute.expires >= sunday { finding.state = .muted } else { finding.muteExpired = true }
                }
                current[finding.fingerprint] = finding
                return finding
            }
            for finding in current.values { seen[finding.fingerprint, default: []].append(week) }
            // What was open and is gone: resolved when its source covered the week, else not
            // checked, and still open for the weeks after.
            let covered = report.weekCoverage
            for (fingerprint, gone) in previous.sorted(by: { $0.key < $1.key }) where current[fingerprint] == nil {
                var missing = gone
                missing.history = seen[fingerprint] ?? []
                missing.mute = nil
                missing.muteExpired = false
                if covered?.covers(gone.source) == true {
                    missing.state = .resolved
                    missing.lastSeen = nil
                } else {
                    missing.state = .unchecked
                    missing.lastSeen = missing.history.last
                    current[fingerprint] = missing
                }
                report.findings.append(missing)
            }
            previous = current
            result.append(report)
        }
        return result
    }
}
