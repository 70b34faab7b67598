import Foundation
import HeadroomModel

/// A gate judged on a week's report: passed, or failed with what failed it.
public struct GateResult: Sendable, Equatable {
    public var gate: Configuration.Gate
    /// Each thing that trips the gate, with its figures; empty when the gate passes.
    public var failures: [String]
    public var passed: Bool { failures.isEmpty }

    public init(gate: Configuration.Gate, failures: [String]) {
        self.gate = gate
        self.failures = failures
    }
}

extension Analysis {
    /// Each gate of headroom.yml on the report, in their order.
    public static func gates(_ gates: [Configuration.Gate], report: Report) -> [GateResult] {
        gates.map { gate in
            var failures: [String] = []
            switch gate.condition {
            case .budgetExhausted:
                for slo in report.slos {
                    guard let consumed = slo.budgetConsumedPercent, consumed >= 100 else { continue }
                    failures.append(
                        "\(slo.displayName ?? slo.name): " + Format.percent(100 - consumed)
                            + " of the error budget left")
                }
            case .newFinding(let severity):
                for finding in report.findings
                where [.new, .regressed].contains(finding.state) && finding.severity <= severity {
                    failures.append(
                        "\(finding.severity.rawValue) \(finding.ruleId) on \(finding.resource) (\(finding.state.rawValue)):"
                            + " \(finding.evidence)")
                }
            case .costGrowthAbove(let percent):
                if let cost = report.cost, let previous = cost.previousTotal, previous > 0 {
                    let growth = NSDecimalNumber(decimal: (cost.total - previous) / previous * 100).doubleValue
                    if growth > percent {
                        failures.append(
                            "\(Format.money(cost.total, cost.currency)) this week against "
                                + "\(Format.money(previous, cost.currency)): \(Format.signedPercent(growth))")
                    }
                }
            case .newErrorGroup(let kinds):
                for group in report.errors
                where [.new, .regressed].contains(group.state) && (kinds.isEmpty || kinds.contains(group.kind)) {
                    failures.append(
                        "\(group.kind.rawValue) error group \(group.id) (\(group.state.rawValue)): \(group.title), "
                            + plural(group.count, "event") + " on "
                            + group.functions.map(\.function).joined(separator: ", "))
                }
            case .quotaAbove(let percent):
                for quota in report.quotas {
                    guard let used = quota.utilisation, used > percent else { continue }
                    failures.append("\(quota.name): \(Format.percent(used)) of \(Format.count(quota.limit)) used")
                }
            }
            return GateResult(gate: gate, failures: failures)
        }
    }
}
