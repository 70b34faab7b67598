import Foundation
import HeadroomModel

/// Something that changed this week and deserves the review's attention, ranked by impact.
public struct Change: Sendable, Equatable, Codable {
    public enum Impact: Int, Sendable, Comparable, CustomStringConvertible, Codable {
        case critical, warning, notice
        public static func < (a: Impact, b: Impact) -> Bool { a.rawValue < b.rawValue }
        public var description: String {
            switch self {
            case .critical: "critical"
            case .warning: "warning"
            case .notice: "notice"
            }
        }
    }

    /// What the change is about, for its link.
    public enum Subject: Sendable, Equatable, Codable {
        case function(String)
        case resource(kind: String, name: String)
        case slo(String)
        case quota(String)
        case cost
        /// A rule's findings in one state on the Checks page.
        case finding(rule: String, state: String)
        /// An error group, by id.
        case errorGroup(String)
    }

    public var impact: Impact
    /// SLO, Cost, Quota, Health, Errors or Latency.
    public var area: String
    public var subject: Subject
    /// One sentence with the figures, last week's and this week's.
    public var text: String
    /// Orders changes of the same impact: the size of the change in the area's own terms
    /// (percentage points of budget or quota, % of cost or latency, × errors).
    public var magnitude: Double
}

extension Analysis {
    /// The week's changes against the week before, most important first: impact (critical, then
    /// warning, then notice), then magnitude, then text. The rules:
    /// - SLO: budget exhausted this week (critical); under 25% left for the first time (warning);
    ///   10 points or more of budget spent this week (notice); a page burn-rate alert fired
    ///   (critical), a ticket alert (warning).
    /// - Cost: the month's forecast above the budget (critical); a daily spike (warning); the
    ///   week's total up 10% or more (warning) or down 10% or more (notice); a service that moved
    ///   20% or more and by at least 1% of the week's total (warning up, notice down).
    /// - Quota: at or over its limit (critical); over 80% for the first time (warning); up 10
    ///   points or more (notice).
    /// - Health: a function or resource that became critical (critical) or warning (warning), or
    ///   recovered to OK (notice).
    /// - Errors: a function's error rate at least doubled with 100 errors or more (warning).
    /// - Latency: a function's p99 above 80% of its timeout for the first time (warning), or 25%
    ///   higher with 1,000 invocations or more (notice).
    /// - Errors: an error group new or back this week (critical for a crash, out of memory,
    ///   configuration or permission error; warning otherwise), by events × functions.
    /// Finishes the reports of a site's weeks, oldest first: each week's findings against the
    /// weeks before it (`lifecycle`), its error groups' too (`errorLifecycle`), its headline figures with the findings' states
    /// (`headline`), then what changed against the week before (`changes`).
    public static func weeks(_ reports: [Report], configuration: Configuration) -> [Report] {
        var weeks = errorLifecycle(lifecycle(reports, mutes: configuration.checks.mutes), configuration: configuration)
        for index in weeks.indices {
            weeks[index].headline = headline(weeks[index])
            weeks[index].changes = changes(weeks[index], previous: index > 0 ? weeks[index - 1] : nil)
        }
        return weeks
    }

    public static func changes(_ report: Report, previous: Report?) -> [Change] {
        guard let week = report.week else { return [] }
        var changes: [Change] = []
        func add(_ impact: Change.Impact, _ area: String, _ subject: Change.Subject, _ text: String, _ size: Double) {
            changes.append(Change(impact: impact, area: area, subject: subject, text: text, magnitude: size))
        }
        func percent(_ value: Double) -> String { Format.percent(value) }
        func delta(_ value: Double) -> String { Format.signedPercent(value) }

        // SLOs: the budget left now and at the end of last week.
        let before = Dictionary(
            (previous?.slos ?? []).map { ($0.name, $0.budgetConsumedPercent) }, uniquingKeysWith: { a, _ in a })
        for slo in report.slos {
            let name = slo.displayName ?? slo.name
            if let consumed = slo.budgetConsumedPercent {
                let left = 100 - consumed
                let earlier = before[slo.name].flatMap { $0 }.map { 100 - $0 }
                let was = earlier.map { " (\(percent($0)) a week before)" } ?? ""
                if left <= 0, earlier.map({ $0 > 0 }) ?? true {
                    add(
                        .critical, "SLO", .slo(slo.name),
                        "\(name): error budget exhausted, \(percent(left)) left\(was)",
                        -left)
                } else if left > 0, left < 25, earlier.map({ $0 >= 25 }) ?? true {
                    add(
                        .warning, "SLO", .slo(slo.name),
                        "\(name): under 25% of the error budget left, \(percent(left))\(was)",
                        25 - left)
                } else if let earlier, earlier - left >= 10 {
                    add(
                        .notice, "SLO", .slo(slo.name),
                        "\(name): \(percent(earlier - left)) of the error budget spent this week, \(percent(left)) left",
                        earlier - left)
                }
            }
            // One change per objective: the fastest burn-rate alert that fired this week.
            let fired = slo.alerts.filter { $0.episodes.contains { week.interval.contains($0.lowerBound) } }
            if let alert = fired.max(by: { $0.burnRate < $1.burnRate }) {
                let count = alert.episodes.filter { week.interval.contains($0.lowerBound) }.count
                add(
                    alert.severity == "page" ? .critical : .warning, "SLO", .slo(slo.name),
                    "\(name): \(alert.severity) alert at \(ValueUnit.ratio.format(alert.burnRate)) burn, "
                        + plural(count, "episode"), alert.burnRate)
            }
        }

        // Cost: the week against the week before, from the bill.
        if let cost = report.cost {
            let total = NSDecimalNumber(decimal: cost.total).doubleValue
            func money(_ value: Decimal) -> String { Format.money(value, cost.currency) }
            if let budget = cost.monthlyBudget, budget > 0, cost.monthForecast > budget {
                add(
                    .critical, "Cost", .cost,
                    "\(cost.month) forecast \(money(cost.monthForecast)) is over the budget of \(money(budget))",
                    NSDecimalNumber(decimal: (cost.monthForecast - budget) / budget * 100).doubleValue)
            }
            for spike in cost.spikes {
                add(
                    .warning, "Cost", .cost,
                    "\(spike.service) spiked on \(spike.day): \(money(spike.amount)) against \(money(spike.baseline))",
                    spike.baseline > 0
                        ? NSDecimalNumber(decimal: (spike.amount - spike.baseline) / spike.baseline * 100).doubleValue
                        : 100)
            }
            if let previousTotal = cost.previousTotal, previousTotal > 0 {
                let change = NSDecimalNumber(decimal: (cost.total - previousTotal) / previousTotal * 100).doubleValue
                if abs(change) >= 10 {
                    add(
                        change > 0 ? .warning : .notice, "Cost", .cost,
                        "The week cost \(money(cost.total)), \(delta(change)) against \(money(previousTotal))",
                        abs(change))
                }
            }
            for service in cost.moversByAmount {
                guard let previousAmount = service.previous, previousAmount > 0, let current = service.current else {
                    continue
                }
                let amount = NSDecimalNumber(decimal: current - previousAmount).doubleValue
                let change = amount / NSDecimalNumber(decimal: previousAmount).doubleValue * 100
                guard abs(change) >= 20, abs(amount) >= total / 100 else { continue }
                add(
                    change > 0 ? .warning : .notice, "Cost", .cost,
                    "\(service.name) \(delta(change)): \(money(current)) against \(money(previousAmount))",
                    abs(change))
            }
        }

        // Quotas: this week's peak against last week's, both against the limit.
        for quota in report.quotas {
            guard let used = quota.utilisation, quota.limit > 0 else { continue }
            let earlier = quota.weeklyPeaks.first { $0.week == week.week.previous }.map { $0.peak / quota.limit * 100 }
            let was = earlier.map { " (\(percent($0)) a week before)" } ?? ""
            let subject = Change.Subject.quota(quota.name)
            if used >= 100 {
                add(.critical, "Quota", subject, "\(quota.name): at its limit, \(percent(used)) used\(was)", used)
            } else if used >= 80, earlier.map({ $0 < 80 }) ?? true {
                add(
                    .warning, "Quota", subject,
                    "\(quota.name): over 80% for the first time, \(percent(used)) used\(was)", used)
            } else if let earlier, used - earlier >= 10 {
                add(
                    .notice, "Quota", subject,
                    "\(quota.name): \(Format.pointChange(from: earlier, to: used) ?? "") to \(percent(used)) used",
                    used - earlier)
            }
        }

        // Health, errors and latency: each function and resource against itself a week before.
        let functionsBefore = Dictionary(
            (previous?.functions ?? []).map { ($0.name, $0.health.level) }, uniquingKeysWith: { a, _ in a })
        let resourcesBefore = Dictionary(
            (previous?.services.flatMap(\.resources) ?? []).map { ("\($0.kind):\($0.name)", $0.health.level) },
            uniquingKeysWith: { a, _ in a })
        func health(_ name: String, _ subject: Change.Subject, _ now: HealthStatus, _ before: HealthStatus.Level?) {
            guard let before, before != now.level else { return }
            let reason = now.reasons.first.map { ": \($0)" } ?? ""
            switch now.level {
            case .critical: add(.critical, "Health", subject, "\(name) became critical\(reason)", 2)
            case .warning where before != .critical:
                add(.warning, "Health", subject, "\(name) became a warning\(reason)", 1)
            case .ok where before >= .warning:
                add(.notice, "Health", subject, "\(name) recovered: OK, was \(before.rawValue)", 1)
            default: break
            }
        }
        for function in report.functions {
            health(function.name, .function(function.name), function.health, functionsBefore[function.name])
            let now = function.current
            if let last = function.previous {
                if let rate = now.errorRate, let earlier = last.errorRate, earlier > 0, rate >= 2 * earlier,
                    now.errors ?? 0 >= 100
                {
                    add(
                        .warning, "Errors", .function(function.name),
                        "\(function.name): error rate \(percent(rate)), \(ValueUnit.ratio.format(rate / earlier)) the week before",
                        rate / earlier)
                }
                if let p99 = now.p99?.value, let earlier = last.p99?.value, earlier > 0 {
                    let timeout = function.timeoutSeconds.map { Double($0) * 1000 }
                    if let timeout, p99 >= 0.8 * timeout, earlier < 0.8 * timeout {
                        add(
                            .warning, "Latency", .function(function.name),
                            "\(function.name): p99 \(Format.duration(milliseconds: p99)) is over 80% of its \(Format.duration(milliseconds: timeout)) timeout",
                            p99 / timeout * 100)
                    } else if p99 >= 1.25 * earlier, now.invocations ?? 0 >= 1000 {
                        add(
                            .notice, "Latency", .function(function.name),
                            "\(function.name): p99 \(Format.duration(milliseconds: p99)), \(Format.change(from: earlier, to: p99) ?? "") against \(Format.duration(milliseconds: earlier))",
                            (p99 / earlier - 1) * 100)
                    }
                }
            }
        }
        for resource in report.services.flatMap(\.resources) {
            health(
                resource.name, .resource(kind: resource.kind, name: resource.name), resource.health,
                resourcesBefore["\(resource.kind):\(resource.name)"])
        }
        // Findings: new or regressed at high severity or above; one change per rule, naming its
        // resources, except those a change above already names (an exhausted budget, a function
        // that became critical): the finding would only say it again.
        let named = Set(
            changes.compactMap { change -> String? in
                switch change.subject {
                case .function(let name), .resource(_, let name), .quota(let name): name
                case .slo(let name): report.slos.first { $0.name == name }.map { $0.displayName ?? $0.name }
                case .cost, .finding, .errorGroup: nil
                }
            })
        let fresh = report.findings.filter {
            [.new, .regressed].contains($0.state) && $0.severity <= .high && !named.contains($0.resource)
        }
        for (_, group) in Dictionary(grouping: fresh, by: \.ruleId).sorted(by: { $0.key < $1.key }) {
            let first = group[0]
            let names = group.map(\.resource).sorted()
            let subject: Change.Subject =
                first.kind == "function" && group.count == 1
                ? .function(first.resource) : .finding(rule: first.ruleId, state: first.state.rawValue)
            add(
                first.severity == .critical ? .critical : .warning, "Check", subject,
                "\(first.title): " + (first.state == .regressed ? "back on " : "new on ")
                    + names.prefix(3).joined(separator: ", ") + (names.count > 3 ? " and \(names.count - 3) more" : ""),
                Double(group.count))
        }
        // Error groups new or back this week: the kinds that stop invocations outright (crash,
        // out of memory, configuration, permission) are critical, the others warnings.
        for group in report.errors where [.new, .regressed].contains(group.state) && group.count > 0 {
            let names = group.functions.map(\.function)
            add(
                [.crash, .outOfMemory, .configuration, .permission].contains(group.kind) ? .critical : .warning,
                "Errors", .errorGroup(group.id),
                "\(group.state == .regressed ? "Back" : "New") \(group.kind.rawValue) error: \(group.title), "
                    + plural(group.count, "event") + " on " + names.prefix(3).joined(separator: ", ")
                    + (names.count > 3 ? " and \(names.count - 3) more" : ""),
                Double(group.impact))
        }
        return changes.sorted { a, b in
            if a.impact != b.impact { return a.impact < b.impact }
            if a.magnitude != b.magnitude { return a.magnitude > b.magnitude }
            return a.text < b.text
        }
    }
}
