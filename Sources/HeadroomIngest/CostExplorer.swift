import Foundation
import HeadroomModel

/// `aws ce get-cost-and-usage` output. Rules:
/// - One record per period, metric and group (or per period and metric from `Total` when the
///   query had no GroupBy).
/// - `Amount` strings become exact `Decimal`s; an amount that is not a decimal string is an error.
/// - Group keys are named by `GroupDefinitions`: `SERVICE`, `LINKED_ACCOUNT`, …; tag groups are
///   `TAG:<key>` with the value after `$` (`team$` is untagged: value ""); cost categories are
///   `COST_CATEGORY:<name>`.
/// - Dates are UTC days; `End` is exclusive. `Estimated` periods are flagged on each record.
/// - Pages in separate files are simply read together. A `NextPageToken` left in a file means
///   pages are missing: a warning.
enum CostExplorer {
    static func read(_ json: JSONValue, _ input: InputFile) throws(HeadroomError) -> (Dataset, [String]) {
        let root = JSONCursor(json, file: input.display)
        var definitions: [String] = []
        for definition in try root["GroupDefinitions"]?.array() ?? [] {
            let type = try definition.require("Type").string()
            let key = try definition.require("Key").string()
            definitions.append(type == "DIMENSION" ? key : "\(type):\(key)")
        }
        var records: [CostRecord] = []
        var estimated = 0
        var longer = 0
        for period in try root.require("ResultsByTime").array() {
            let timePeriod = try period.require("TimePeriod")
            guard timePeriod.object != nil else {
                throw timePeriod.fail("expected an object, found \(timePeriod.value.typeName)")
            }
            let start = try day(timePeriod.require("Start"))
            let end = try day(timePeriod.require("End"))
            guard start < end else { throw timePeriod.fail("the period ends before it starts") }
            if end.seconds - start.seconds > 86_400 { longer += 1 }
            let isEstimated = try period["Estimated"]?.bool() ?? false
            if isEstimated { estimated += 1 }
            func metrics(_ cursor: JSONCursor, groups: [String: String]) throws(HeadroomError) {
                for (metric, value) in try cursor.members() {
                    let amountCursor = try value.require("Amount")
                    let text = try amountCursor.string()
                    guard let amount = Decimal(exactly: text) else {
                        throw amountCursor.fail(
                            "\"\(text)\" is not an amount Headroom can hold exactly (a decimal of up to 38 digits)")
                    }
                    records.append(
                        CostRecord(
                            start: start, end: end, metric: metric, amount: amount,
                            unit: try value["Unit"]?.string() ?? "", groups: groups, estimated: isEstimated,
                            source: input.display))
                }
            }
            let groups = try period["Groups"]?.array() ?? []
            if groups.isEmpty, let total = period["Total"] {
                try metrics(total, groups: [:])
            }
            for group in groups {
                let keysCursor = try group.require("Keys")
                let keys = try keysCursor.array()
                guard keys.count == definitions.count else {
                    throw keysCursor.fail("\(keys.count) keys but \(definitions.count) GroupDefinitions")
                }
                var named: [String: String] = [:]
                for (definition, key) in zip(definitions, keys) {
                    var value = try key.string()
                    // Tags and cost categories come as `name$value`.
                    if definition.hasPrefix("TAG:") || definition.hasPrefix("COST_CATEGORY:"),
                        let dollar = value.firstIndex(of: "$")
                    {
                        value = String(value[value.index(after: dollar)...])
                    }
                    named[definition] = value
                }
                try metrics(try group.require("Metrics"), groups: named)
            }
        }
        var warnings: [String] = []
        if estimated > 0 { warnings.append(plural(estimated, "estimated period") + ": amounts may still change") }
        if longer > 0 {
            warnings.append(
                plural(longer, "period")
                    + " longer than a day (MONTHLY): used for the month totals on the Costs page; the week's"
                    + " figures need daily periods (collect with --granularity DAILY as well)")
        }
        if root["NextPageToken"] != nil {
            warnings.append("NextPageToken is set: later pages are missing, so costs may be incomplete")
        }
        return (Dataset(costs: records), warnings)
    }

    /// `2026-11-16` as the UTC instant of that midnight.
    static func day(_ cursor: JSONCursor) throws(HeadroomError) -> Instant {
        let text = try cursor.string()
        if let days = Timestamp.civilDays(text) { return Instant(seconds: days * 86_400) }
        // Cost Explorer also accepts full timestamps for hourly data.
        if let instant = Timestamp.parse(text) { return instant }
        throw cursor.fail("expected a date such as 2026-11-16, found \"\(text)\"")
    }
}
