import Foundation
import HeadroomModel

/// `aws cloudwatch get-metric-data` output.
///
/// Results carry only an `Id` and a `Label`; what they measure comes from the `MetricDataQueries`,
/// either in the same file (`{"MetricDataQueries": [...], "MetricDataResults": [...]}`) or in the
/// query file beside it, `<stem>.query.json` (the file given to `--metric-data-queries`, or a
/// `--cli-input-json` file). Rules:
/// - Entries with the same `Id` (pages joined by the CLI, or by hand from `NextToken` calls) are
///   merged into one series. A top-level `NextToken` means pages are missing: a warning.
/// - Timestamps may be ISO 8601 strings or epoch seconds, newest or oldest first; points end up
///   sorted oldest first. A duplicated timestamp keeps its first value; if the values differ,
///   the series says so.
/// - Periods without a datapoint are gaps. `NaN` and infinite values become gaps, with a warning.
/// - `StatusCode` other than `Complete`, and a result's `Messages`, become warnings on its series;
///   the top-level `Messages` and a leftover `NextToken` are warnings on the file.
public enum CloudWatchGetMetricData {
    /// Reads one results file; the queries come from the file itself or from its sidecar.
    static func read(_ json: JSONValue, _ input: InputFile) throws(HeadroomError) -> (
        series: [MetricSeries], warnings: [String]
    ) {
        let file = input.display
        let root = JSONCursor(json, file: file)
        let queryList: JSONCursor
        if let inline = root["MetricDataQueries"] {
            queryList = inline
        } else if let sidecar = input.sidecar {
            queryList = sidecar.object != nil ? try sidecar.require("MetricDataQueries") : sidecar
        } else {
            throw HeadroomError(
                .ingest, file: file, "get-metric-data results without their MetricDataQueries",
                remedy: "save the queries passed to --metric-data-queries beside it as "
                    + "\(URL(fileURLWithPath: Sources.sidecarName(for: file)).lastPathComponent), "
                    + "or put \"MetricDataQueries\" into this file")
        }
        let identities = try readQueries(queryList)

        var fileWarnings: [String] = []
        if let messages = root["Messages"] { fileWarnings += try readMessages(messages) }
        if root["NextToken"] != nil {
            fileWarnings.append("NextToken is set: later pages are missing, so series may be incomplete")
        }

        struct Accumulator {
            var label: String
            var points: [Point] = []
            var warnings: [String] = []
        }
        var order: [String] = []
        var byId: [String: Accumulator] = [:]
        for entry in try root.require("MetricDataResults").array() {
            let idCursor = try entry.require("Id")
            let id = try idCursor.string()
            guard identities[id] != nil else {
                throw idCursor.fail(
                    "no query with the Id \"\(id)\"",
                    remedy: "use the MetricDataQueries that produced these results")
            }
            let label = try entry["Label"]?.string() ?? id
            if byId[id] == nil {
                order.append(id)
                byId[id] = Accumulator(label: label)
            }
            let timestamps = try entry.require("Timestamps").array()
            let values = try entry.require("Values").array()
            guard timestamps.count == values.count else {
                throw entry.fail(
                    "\(timestamps.count) Timestamps but \(values.count) Values; each timestamp needs one value")
            }
            var nonFinite = 0
            for (timestamp, value) in zip(timestamps, values) {
                guard let time = Timestamp.parse(timestamp.value) else {
                    throw timestamp.fail(
                        "not a timestamp: expected ISO 8601 with a zone (2026-11-16T00:00:00Z) or epoch seconds")
                }
                let number = try value.number()
                if number.isFinite {
                    byId[id]!.points.append(Point(time: time, value: number))
                } else {
                    nonFinite += 1
                }
            }
            if nonFinite > 0 {
                byId[id]!.warnings.append("\(nonFinite) non-finite values (NaN or Infinity) treated as gaps")
            }
            if let status = try entry["StatusCode"]?.string(), status != "Complete" {
                byId[id]!.warnings.append("StatusCode \(status)" + statusMeaning(status))
            }
            if let messages = entry["Messages"] { byId[id]!.warnings += try readMessages(messages) }
        }

        let series = order.map { id in
            var accumulator = byId[id]!
            accumulator.points.sort { $0.time < $1.time }
            var unique: [Point] = []
            unique.reserveCapacity(accumulator.points.count)
            var conflicts = 0
            for point in accumulator.points {
                if let last = unique.last, last.time == point.time {
                    if last.value != point.value { conflicts += 1 }
                    continue
                }
                unique.append(point)
            }
            if conflicts > 0 {
                accumulator.warnings.append(
                    "\(conflicts) timestamps appear more than once with different values; the first value was kept")
            }
            return MetricSeries(
                identity: identities[id]!, label: accumulator.label, points: unique,
                warnings: accumulator.warnings, source: file)
        }
        return (series, fileWarnings)
    }

    private static func statusMeaning(_ status: String) -> String {
        switch status {
        case "PartialData": ": CloudWatch returned only part of the data"
        case "Forbidden": ": the caller may not read this metric"
        case "InternalError": ": CloudWatch failed to return this metric"
        default: ""
        }
    }

    private static func readMessages(_ cursor: JSONCursor) throws(HeadroomError) -> [String] {
        var messages: [String] = []
        for message in try cursor.array() {
            let code = try message["Code"]?.string() ?? "Message"
            let value = try message["Value"]?.string() ?? ""
            messages.append(value.isEmpty ? code : "\(code): \(value)")
        }
        return messages
    }

    private static func readQueries(_ list: JSONCursor) throws(HeadroomError) -> [String: MetricIdentity] {
        var identities: [String: MetricIdentity] = [:]
        for query in try list.array() {
            let idCursor = try query.require("Id")
            let id = try idCursor.string()
            guard identities[id] == nil else { throw idCursor.fail("the query Id \"\(id)\" appears twice") }
            if let metricStat = query["MetricStat"] {
                let metric = try metricStat.require("Metric")
                var dimensions: [MetricDimension] = []
                for dimension in try metric["Dimensions"]?.array() ?? [] {
                    dimensions.append(
                        MetricDimension(
                            name: try dimension.require("Name").string(),
                            value: try dimension.require("Value").string()))
                }
                let period = try metricStat.require("Period").int()
                guard period > 0 else { throw try metricStat.require("Period").fail("Period must be positive") }
                identities[id] = .metric(
                    MetricStat(
                        namespace: try metric.require("Namespace").string(),
                        metricName: try metric.require("MetricName").string(),
                        dimensions: dimensions,
                        stat: try metricStat.require("Stat").string(),
                        period: period,
                        unit: try metricStat["Unit"]?.string()))
            } else if let expression = query["Expression"] {
                identities[id] = .expression(try expression.string(), period: try query["Period"]?.int())
            } else {
                throw query.fail("a query needs either MetricStat or Expression")
            }
        }
        return identities
    }
}
