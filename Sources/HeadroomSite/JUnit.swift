import HeadroomAnalysis
import HeadroomCharts
import HeadroomModel

/// Gates and findings as JUnit XML, which GitLab, GitHub and Jenkins show natively: one suite of
/// gates (a failing gate is a failure; a warn-only one passes with its findings in system-out) and
/// one of findings (open ones fail, muted ones are skipped, resolved ones are left out).
public enum JUnit {
    public static func xml(week: ISOWeek?, gates: [GateResult], findings: [CheckFinding]) -> String {
        let name = "headroom" + (week.map { " \($0)" } ?? "")
        var gateCases = ""
        var gateFailures = 0
        for result in gates {
            gateCases += "<testcase classname=\"gates\" name=\"\(SVG.escape(result.gate.name))\">"
            if !result.passed {
                let text = SVG.escape(result.failures.joined(separator: "\n"))
                if result.gate.warnOnly {
                    gateCases += "<system-out>warning: \(text)</system-out>"
                } else {
                    gateFailures += 1
                    gateCases +=
                        "<failure message=\"\(SVG.escape(plural(result.failures.count, "failure")))\" type=\"gate\">\(text)</failure>"
                }
            }
            gateCases += "</testcase>\n"
        }
        var findingCases = ""
        var findingFailures = 0
        var skipped = 0
        let listed = findings.filter { $0.state != .resolved }
        for finding in listed {
            findingCases +=
                "<testcase classname=\"\(SVG.escape(finding.ruleId))\" name=\"\(SVG.escape("\(finding.kind):\(finding.resource)"))\">"
            if finding.state == .muted {
                skipped += 1
                findingCases += "<skipped message=\"\(SVG.escape("muted: \(finding.mute?.reason ?? "")"))\"/>"
            } else if finding.state == .unchecked {
                skipped += 1
                let message =
                    "not checked: \(finding.source.label) sent nothing this week; last seen in \(finding.lastSeen?.description ?? "an earlier week")"
                findingCases += "<skipped message=\"\(SVG.escape(message))\"/>"
            } else {
                findingFailures += 1
                findingCases +=
                    "<failure message=\"\(SVG.escape("\(finding.severity.rawValue): \(finding.title)"))\" type=\"\(finding.state.rawValue)\">"
                    + SVG.escape(finding.evidence) + "</failure>"
            }
            findingCases += "</testcase>\n"
        }
        return #"<?xml version="1.0" encoding="UTF-8"?>"# + "\n"
            + "<testsuites name=\"\(SVG.escape(name))\" tests=\"\(gates.count + listed.count)\" failures=\"\(gateFailures + findingFailures)\">\n"
            + "<testsuite name=\"gates\" tests=\"\(gates.count)\" failures=\"\(gateFailures)\" errors=\"0\" skipped=\"0\">\n"
            + gateCases + "</testsuite>\n"
            + "<testsuite name=\"findings\" tests=\"\(listed.count)\" failures=\"\(findingFailures)\" errors=\"0\" skipped=\"\(skipped)\">\n"
            + findingCases + "</testsuite>\n</testsuites>\n"
    }
}
