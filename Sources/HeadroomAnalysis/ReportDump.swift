import Foundation
import HeadroomModel

extension Report {
    /// A stable, line-oriented text form of the report for golden tests and reviews: every figure
    /// at full precision, in a fixed order, with no formatting that could hide a change.
    private static func signal(_ signal: Signal) -> String {
        "    signal \(signal.metric.label) current=\(number(signal.current)) previous=\(number(signal.previous))"
            + " percent=\(number(signal.percent)) (\(signal.formula))"
    }

    public var dump: String {
        var lines = ["report \(title)"]
        if let week {
            lines.append(
                "week \(week.week) \(week.interval.lowerBound)..<\(week.interval.upperBound) \(week.timeZone) hours=\(week.hours)"
            )
        } else {
            lines.append("week none")
        }
        lines.append("weeks-with-data " + weeksWithData.map(\.description).joined(separator: " "))
        for week in coverage {
            lines.append(
                "coverage \(week.week) "
                    + week.entries.map { "\($0.kind.rawValue)=\($0.level.rawValue)(\($0.files.count))" }.joined(
                        separator: " "))
        }
        for service in services {
            lines.append(
                "service \(service.name) invocations=\(Self.number(service.totals.invocations)) errors=\(Self.number(service.totals.errors)) error-rate=\(Self.number(service.totals.errorRate))"
            )
            for function in service.functions {
                lines.append(
                    "  function \(function.name) timeout=\(function.timeoutSeconds.map(String.init) ?? "none") health=\(function.health.level.rawValue)"
                )
                for reason in function.health.reasons { lines.append("    health \(reason)") }
                for rule in function.health.unchecked { lines.append("    health-not-checked \(rule)") }
                lines.append("    current  " + Self.figures(function.current))
                lines.append("    previous " + (function.previous.map(Self.figures) ?? "none"))
                for warning in function.warnings { lines.append("    warning \(warning)") }
                lines += function.signals.map(Self.signal)
                if let logs = function.logs {
                    lines.append(
                        "    logs invocations=\(logs.invocations) cold-starts=\(logs.coldStarts) init-p50=\(Self.number(logs.initP50)) init-p99=\(Self.number(logs.initP99))"
                            + " p50=\(logs.durationP50) p90=\(logs.durationP90) p99=\(logs.durationP99) memory-p99=\(Self.number(logs.memoryP99)) timeouts=\(logs.timeouts)"
                    )
                }
            }
            for resource in service.resources {
                lines.append(
                    "  \(resource.kind) \(resource.name) namespace=\(resource.namespace) health=\(resource.health.level.rawValue)"
                )
                for reason in resource.health.reasons { lines.append("    health \(reason)") }
                lines += resource.signals.map(Self.signal)
            }
        }
        for path in paths {
            lines.append("path \(path.name) health=\(path.health.level.rawValue)")
            for step in path.steps {
                lines.append(
                    "  step \(step.name) kind=\(step.kind ?? "none") service=\(step.service ?? "none") health=\(step.health.level.rawValue)"
                )
            }
        }
        if let cost {
            lines.append(
                "cost \(cost.metric) \(cost.currency) total=\(cost.total) previous=\(cost.previousTotal.map { "\($0)" } ?? "none") days=\(cost.days) estimated=\(cost.estimated)"
            )
            lines.append(
                "  cost-month \(cost.month) to-date=\(cost.monthToDate) forecast=\(cost.monthForecast)"
                    + " lambda-per-million=\(cost.lambdaCostPerMillionInvocations.map { "\($0)" } ?? "none")"
                    + " per-million-successful=\(cost.costPerMillionSuccessfulInvocations.map { "\($0)" } ?? "none")"
                    + " budget=\(cost.monthlyBudget.map { "\($0)" } ?? "none")")
            for spike in cost.spikes {
                lines.append(
                    "  cost-spike \(spike.service) \(spike.day) amount=\(spike.amount) baseline=\(spike.baseline)")
            }
            for service in cost.services {
                lines.append(
                    "  cost-service \(service.name) current=\(service.current.map { "\($0)" } ?? "none") previous=\(service.previous.map { "\($0)" } ?? "none")"
                )
            }
            lines.append("  cost-movers-amount " + cost.moversByAmount.map(\.name).joined(separator: ", "))
            lines.append("  cost-movers-percent " + cost.moversByPercent.map(\.name).joined(separator: ", "))
            for breakdown in cost.breakdowns {
                for row in breakdown.rows {
                    lines.append(
                        "  cost-by \(breakdown.dimension) \(row.name) current=\(row.current.map { "\($0)" } ?? "none") previous=\(row.previous.map { "\($0)" } ?? "none")"
                    )
                }
            }
        } else {
            lines.append("cost none")
        }
        if let estimate = lambdaEstimate {
            let architectures = estimate.gbSeconds.keys.sorted()
            lines.append(
                "lambda-estimate prices=\(estimate.priceVersion) \(estimate.currency) total=\(estimate.total) requests=\(estimate.requests)"
                    + " request-cost=\(estimate.requestCost) ephemeral-gb-s=\(estimate.ephemeralGBSeconds) ephemeral-cost=\(estimate.ephemeralCost)"
                    + " free-tier=\(estimate.freeTierCredit)")
            for architecture in architectures {
                lines.append(
                    "  \(architecture) gb-s=\(estimate.gbSeconds[architecture]!) cost=\(estimate.durationCost[architecture]!)"
                )
            }
            lines.append(
                "  billed=\(estimate.billed.map { "\($0)" } ?? "none") difference=\(estimate.difference.map { "\($0)" } ?? "none")"
                    + " difference-percent=\(estimate.differencePercent.map { "\($0)" } ?? "none") bill-estimated=\(estimate.billEstimated)"
                    + " missing=\(estimate.missing.joined(separator: ","))")
            for function in estimate.functions {
                lines.append(
                    "  function-cost \(function.name) \(function.architecture) requests=\(function.requests)"
                        + " gb-s=\(function.gbSeconds) cost=\(function.cost)")
            }
        } else {
            lines.append("lambda-estimate none")
        }
        for slo in slos {
            let status: String
            switch slo.status {
            case .computed: status = "computed"
            case .noData: status = "no-data"
            case .notComputed(let reason): status = "not-computed (\(reason))"
            }
            lines.append(
                "slo \(slo.name) target=\(slo.target) window=\(slo.window.count)\(slo.window.unit.rawValue) \(slo.budgeting.rawValue) \(status)"
                    + " total=\(Self.number(slo.total)) good=\(Self.number(slo.good)) attainment=\(Self.number(slo.attainment))"
                    + " budget-events=\(Self.number(slo.budgetEvents)) consumed=\(Self.number(slo.budgetConsumedPercent))"
                    + " week-burn=\(Self.number(slo.weekBurnRate))")
            if let interval = slo.interval {
                lines.append(
                    "  window \(interval.lowerBound)..<\(interval.upperBound) ends=\(slo.windowEnd.map { "\($0)" } ?? "none")"
                        + " exhaustion=\(slo.exhaustion)")
                lines.append(
                    "  burn-series "
                        + slo.burnSeries.map { "\($0.time.seconds):\(Self.number($0.value))" }.joined(separator: " "))
            }
            lines.append(
                "  weekly " + slo.weekly.map { "\($0.week):\(Self.number($0.attainment))" }.joined(separator: " "))
            for alert in slo.alerts {
                lines.append(
                    "  alert \(alert.severity) \(alert.burnRate)x long=\(alert.longWindowSeconds)s short=\(alert.shortWindowSeconds)s fired="
                        + alert.episodes.map { "\($0.lowerBound)..<\($0.upperBound)" }.joined(separator: ",")
                        + " highest=" + (alert.highest.map { "\(Self.number($0.value))@\($0.time)" } ?? "-"))
            }
        }
        for quota in quotas {
            lines.append(
                "quota \(quota.service)/\(quota.code) \(quota.name) limit=\(Self.number(quota.limit)) peak=\(Self.number(quota.peak))"
                    + " p95=\(Self.number(quota.p95)) utilisation=\(Self.number(quota.utilisation)) status=\(quota.status.rawValue)"
                    + " projection=\(quota.projection) weekly="
                    + quota.weeklyPeaks.map { "\($0.week):\(Self.number($0.peak))" }.joined(separator: ","))
        }
        for source in sources {
            let status: String
            switch source.status {
            case .read(let format): status = "read \(format.rawValue)"
            case .empty: status = "empty"
            case .ignored(let reason): status = "ignored (\(reason))"
            case .invalid(let reason): status = "invalid \(reason)"
            }
            lines.append(
                "source \(source.path) \(status) series=\(source.seriesCount) points=\(source.pointCount) records=\(source.recordCount)"
            )
            for warning in source.warnings { lines.append("  warning \(warning)") }
        }
        for note in notes {
            lines.append("note \(note.week) \(note.path) authors=\(note.authors.joined(separator: ","))")
        }
        for action in actions {
            lines.append(
                "action \(action.item.title) owner=\(action.item.owner ?? "none")"
                    + " due=\(action.item.due.map { DayLabel.day($0, weekday: false, year: true) } ?? "none")"
                    + " done=\(action.item.done) since=\(action.since) listed=\(action.listed) overdue=\(action.overdue)"
            )
        }
        for finding in findings {
            lines.append(
                "finding \(finding.severity.rawValue) \(finding.ruleId) \(finding.kind):\(finding.resource)"
                    + " pillar=\(finding.pillar.rawValue) state=\(finding.state.rawValue) source=\(finding.source.rawValue)"
                    + (finding.lastSeen.map { " last-seen=\($0)" } ?? "")
                    + " since=\(finding.since.map { "\($0)" } ?? "none") occurrences=\(finding.occurrences)"
                    + (finding.mute.map { " muted-by=\($0.owner)" + (finding.muteExpired ? "(expired)" : "") } ?? "")
                    + (finding.owner.map { " owner=\($0)" } ?? "")
                    + (finding.acknowledgement.map { " acknowledged-by=\($0.by)" } ?? "")
                    + " evidence=\(finding.evidence)")
        }
        lines.append("error-log-functions " + errorLogFunctions.joined(separator: ", "))
        for group in errors {
            lines.append(
                "error-group \(group.id) \(group.kind.rawValue) state=\(group.state.rawValue) events=\(group.count)"
                    + " first=\(group.first.map { "\($0)" } ?? "none") last=\(group.last.map { "\($0)" } ?? "none")"
                    + " since=\(group.since.map { "\($0)" } ?? "none")"
                    + (group.lastSeen.map { " last-seen=\($0)" } ?? "") + (group.owner.map { " owner=\($0)" } ?? "")
                    + " functions="
                    + group.functions.map { "\($0.function)(\($0.versions.joined(separator: "+")))=\($0.count)" }
                    .joined(separator: ",")
                    + " weeks="
                    + group.history.map { "\($0.week):\($0.count.map(String.init) ?? "unchecked")" }
                    .joined(separator: ",")
                    + " title=\(group.title)")
        }
        lines.append(
            "headline functions=\(headline.functions) invocations=\(Self.number(headline.invocations))"
                + " previous=\(Self.number(headline.previousInvocations)) errors=\(Self.number(headline.errors))"
                + " previous=\(Self.number(headline.previousErrors)) error-rate=\(Self.number(headline.errorRate))"
                + " previous=\(Self.number(headline.previousErrorRate))")
        if let nearest = headline.nearestTimeout {
            lines.append(
                "headline nearest-timeout \(nearest.function) p99=\(Self.number(nearest.p99.value))"
                    + " previous=\(Self.number(nearest.previousP99)) timeout=\(nearest.timeoutSeconds)"
                    + " share=\(Self.number(nearest.share))")
        }
        if let findings = headline.findings {
            lines.append(
                "headline findings open=\(findings.open) serious=\(findings.serious) fresh=\(findings.fresh)"
                    + " resolved=\(findings.resolved) unchecked=\(findings.unchecked)")
        }
        let levels = headline.levels
        lines.append(
            "headline levels latency=\(levels.latency?.rawValue ?? "none") cost=\(levels.cost?.rawValue ?? "none")"
                + " budget=\(levels.budget?.rawValue ?? "none") findings=\(levels.findings?.rawValue ?? "none")"
                + " quota=\(levels.quota?.rawValue ?? "none")")
        lines.append(
            "headline verdict \(headline.verdict.level.rawValue): " + headline.verdict.reasons.joined(separator: "; "))
        for change in changes {
            lines.append("change \(change.impact) \(change.area) \(change.subject): \(change.text)")
        }
        for warning in warnings { lines.append("warning \(warning)") }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func number(_ value: Double?) -> String {
        guard let value else { return "none" }
        return value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : "\(value)"
    }

    private static func percentile(_ value: WeeklyPercentile?) -> String {
        guard let value else { return "none" }
        return number(value.value) + (value.exact ? "" : "(upper-bound)")
    }

    private static func figures(_ week: FunctionWeek) -> String {
        "invocations=\(number(week.invocations)) errors=\(number(week.errors)) throttles=\(number(week.throttles)) "
            + "error-rate=\(number(week.errorRate)) p50=\(percentile(week.p50)) p99=\(percentile(week.p99)) "
            + "peak-concurrency=\(number(week.peakConcurrency)) active-hours=\(week.activeHours)"
    }
}
