import HeadroomAnalysis
import HeadroomModel

/// The search index: every service, function, resource, SLO, quota, finding, note and open action item with its page, as a script that
/// sets `window.HEADROOM_SEARCH` (a script, not JSON, because pages opened from file:// may not
/// fetch files). `assets/search.js` searches it. Strings are escaped for JavaScript.
enum SearchIndex {
    struct Entry {
        var title: String
        var kind: String
        var detail: String
        /// From the site root.
        var url: String
    }

    static func entries(_ report: Report, pages: SiteBuilder.Pages) -> [Entry] {
        var entries: [Entry] = []
        for service in report.services {
            entries.append(
                Entry(
                    title: service.name, kind: "service",
                    detail: service.description ?? plural(service.functions.count, "function"),
                    url: pages.service(service.name)))
            for function in service.functions {
                entries.append(
                    Entry(
                        title: function.name, kind: "function",
                        detail: "\(service.name) · \(SiteBuilder.statusText(function.health.level))",
                        url: pages.function(function.name)))
            }
            for resource in service.resources {
                entries.append(
                    Entry(
                        title: resource.name, kind: resource.kind,
                        detail: "\(service.name) · \(SiteBuilder.statusText(resource.health.level))",
                        url: pages.resource(resource)))
            }
        }
        for slo in report.slos {
            entries.append(
                Entry(
                    title: slo.displayName ?? slo.name, kind: "SLO", detail: slo.service ?? slo.name,
                    url: pages.slo(slo.name)))
        }
        for quota in report.quotas {
            entries.append(Entry(title: quota.name, kind: "quota", detail: quota.service, url: "limits.html"))
        }
        // Findings not resolved, each leading to its rule on the Checks page.
        for finding in report.findings where finding.state != .resolved {
            entries.append(
                Entry(
                    title: "\(finding.title): \(finding.resource)", kind: "finding",
                    detail: "\(finding.severity.rawValue) · \(finding.state.rawValue)",
                    url: pages.finding(rule: finding.ruleId, state: finding.state.rawValue)))
        }
        // Error groups not resolved that have a page.
        for group in SiteBuilder.pagedErrorGroups(report) where group.state != .resolved {
            entries.append(
                Entry(
                    title: group.title, kind: "error",
                    detail: "\(group.kind.rawValue) · \(group.state.rawValue) · "
                        + group.functions.prefix(3).map(\.function).joined(separator: ", "),
                    url: SiteBuilder.errorPage(group.id)))
        }
        // Notes, each on its week's notes page; a note of a week without data has no page.
        let week = report.week?.week
        func notesPage(_ noteWeek: ISOWeek) -> String? {
            noteWeek == week
                ? "notes.html" : report.weeksWithData.contains(noteWeek) ? "weeks/\(noteWeek)/notes.html" : nil
        }
        for note in report.notes.sorted(by: { $0.week > $1.week }) {
            guard let week, note.week <= week, let url = notesPage(note.week) else { continue }
            entries.append(
                Entry(
                    title: note.title ?? "Notes for \(note.week)", kind: "notes",
                    detail: ([note.week.description] + note.authors).joined(separator: " · "), url: url))
        }
        for action in report.actions where !action.item.done {
            entries.append(
                Entry(
                    title: action.item.title, kind: "action item",
                    detail: ([action.item.owner, action.item.due.map { "due " + DayLabel.day($0) }].compactMap { $0 }
                        + ["open since \(action.since)"]).joined(separator: " · "),
                    url: "notes.html"))
        }
        return entries
    }

    static func script(_ report: Report, pages: SiteBuilder.Pages) -> String {
        "window.HEADROOM_SEARCH = [\n"
            + entries(report, pages: pages).map {
                "{\"t\":\(quote($0.title)),\"k\":\(quote($0.kind)),\"d\":\(quote($0.detail)),\"u\":\(quote($0.url))}"
            }.joined(separator: ",\n") + "\n];\n"
    }

    /// A JavaScript string literal: quotes, backslashes, control characters, `<` and the line
    /// separators U+2028/2029 escaped.
    static func quote(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "<": result += "\\u003c"
            case ">": result += "\\u003e"
            case "&": result += "\\u0026"
            default:
                if scalar.value < 0x20 || scalar.value == 0x2028 || scalar.value == 0x2029 {
                    let hex = String(scalar.value, radix: 16)
                    result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }
}
