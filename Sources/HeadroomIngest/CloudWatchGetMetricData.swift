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
///   sorted oldest first. Repeated timestamps follow `MetricSeries.uniquePoints`: the first value
///   is kept and the series says so.
/// - Periods without a datapoint are gaps. When the query file is a `--cli-input-json` file with
///   StartTime and EndTime, points outside that range (far-future stamps, clock skew) are dropped
///   with a warning. `NaN` and infinite values become gaps, with a warning.
/// - `StatusCode` other than `Complete`, and a result's `Messages`, become warnings on its series;
///   the top-level `Messages` and a leftover `NextToken` are warnings on the file.
public enum CloudWatchGetMetricData {
    /// One entry of `MetricDataResults` as read, before merging.
    private struct Entry {
        var id: String
        var label: String?
        var status: String?
        var times: [Instant] = []
        var values: [Double] = []
        var messages: JSONValue?
        var path: String
    }

    /// Reads one results file with the pull reader: timestamps and values go straight from the
    /// bytes into arrays, without a tree. The queries come from the file itself or its sidecar.
    static func read(_ data: Data, _ input: InputFile) throws(HeadroomError) -> (
        series: [MetricSeries], warnings: [String]
    ) {
        let file = input.display
        var entries: [Entry] = []
        var inlineQueries: JSONValue?
        var messages: JSONValue?
        var nextToken = false
        func fail(_ path: String, _ message: String) -> HeadroomError {
            HeadroomError(.ingest, file: file, position: .jsonPath(path), message)
        }
        do {
            try JSONParser.withReader(data) { reader in
                guard reader.peek() == UInt8(ascii: "{") else { throw fail("$", "expected an object") }
                try reader.beginObject()
                while let key = try reader.nextKey() {
                    switch key {
                    case "MetricDataResults":
                        guard reader.peek() == UInt8(ascii: "[") else {
                            throw fail("$.MetricDataResults", "expected an array, found \(describe(reader.peek()))")
                        }
                        try reader.beginArray()
                        while try reader.nextElement() {
                            entries.append(try readEntry(&reader, path: "$.MetricDataResults[\(entries.count)]", fail))
                        }
                    case "MetricDataQueries": inlineQueries = try reader.readValue()
                    case "Messages": messages = try reader.readValue()
                    case "NextToken":
                        nextToken = true
                        try reader.skipValue()
                    default: try reader.skipValue()
                    }
                }
            }
        } catch let error as HeadroomError {
            throw error
        } catch let error as JSONSyntaxError {
            throw HeadroomError(
                .ingest, file: file, position: .line(error.line, column: error.column),
                "invalid JSON: \(error.message)",
                remedy: "save the AWS CLI output unchanged (--output json)")
        } catch {
            throw HeadroomError(.ingest, file: file, "cannot read the file", underlying: error)
        }

        let queryList: JSONCursor
        if let inlineQueries {
            queryList = JSONCursor(inlineQueries, path: "$.MetricDataQueries", file: file)
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
        let range = try requestedRange(input.sidecar)
        var outside = 0

        var fileWarnings: [String] = []
        if let messages { fileWarnings += try readMessages(JSONCursor(messages, path: "$.Messages", file: file)) }
        if nextToken {
            fileWarnings.append("NextToken is set: later pages are missing, so series may be incomplete")
        }

        struct Accumulator {
            var label: String
            var points: [Point] = []
            var warnings: [String] = []
        }
        var order: [String] = []
        var byId: [String: Accumulator] = [:]
        for entry in entries {
            guard identities[entry.id] != nil else {
                throw fail(entry.path + ".Id", "no query with the Id \"\(entry.id)\"")
            }
            if byId[entry.id] == nil {
                order.append(entry.id)
                byId[entry.id] = Accumulator(label: entry.label ?? entry.id)
            }
            guard entry.times.count == entry.values.count else {
                throw fail(
                    entry.path,
                    "\(entry.times.count) Timestamps but \(entry.values.count) Values; each timestamp needs one value")
            }
            var nonFinite = 0
            var points: [Point] = []
            points.reserveCapacity(entry.times.count)
            for (time, value) in zip(entry.times, entry.values) {
                if let range, !range.contains(time) {
                    outside += 1
                } else if Point.isStorable(value) {
                    points.append(Point(time: time, value: value))
                } else {
                    nonFinite += 1
                }
            }
            byId[entry.id]!.points += points
            if nonFinite > 0 {
                byId[entry.id]!.warnings.append(Point.unstorable(nonFinite))
            }
            if let status = entry.status, status != "Complete" {
                byId[entry.id]!.warnings.append("StatusCode \(status)" + statusMeaning(status))
            }
            if let messages = entry.messages {
                byId[entry.id]!.warnings += try readMessages(
                    JSONCursor(messages, path: entry.path + ".Messages", file: file))
            }
        }

        if outside > 0 {
            fileWarnings.append(
                plural(outside, "point")
                    + " outside the requested StartTime–EndTime dropped (clock skew or a future timestamp)")
        }
        let series = order.map { id in
            var accumulator = byId[id]!
            let (unique, repeated) = MetricSeries.uniquePoints(accumulator.points)
            if let repeated { accumulator.warnings.append(repeated) }
            return MetricSeries(
                identity: identities[id]!, label: accumulator.label, points: unique,
                warnings: accumulator.warnings, source: file)
        }
        return (series, fileWarnings)
    }

    private static func describe(_ byte: UInt8?) -> String {
        switch byte {
        case UInt8(ascii: "{"): "an object"
        case UInt8(ascii: "["): "an array"
        case UInt8(ascii: "\""): "a string"
        case UInt8(ascii: "t"), UInt8(ascii: "f"): "a boolean"
        case UInt8(ascii: "n"): "null"
        case nil: "nothing"
        default: "a number"
        }
    }

    private static func readEntry(
        _ reader: inout JSONParser, path: String, _ fail: (String, String) -> HeadroomError
    ) throws -> Entry {
        guard reader.peek() == UInt8(ascii: "{") else {
            throw fail(path, "expected an object, found \(describe(reader.peek()))")
        }
        var entry = Entry(id: "", path: path)
        var hasId = false
        var hasTimestamps = false
        var hasValues = false
        try reader.beginObject()
        while let key = try reader.nextKey() {
            switch key {
            case "Id", "Label", "StatusCode":
                guard reader.peek() == UInt8(ascii: "\"") else {
                    if reader.peek() == UInt8(ascii: "n"), key != "Id" {
                        try reader.skipValue()
                        continue
                    }
                    throw fail("\(path).\(key)", "expected a string, found \(describe(reader.peek()))")
                }
                let text = try reader.readString()
                if key == "Id" {
                    entry.id = text
                    hasId = true
                } else if key == "Label" {
                    entry.label = text
                } else {
                    entry.status = text
                }
            case "Timestamps":
                guard reader.peek() == UInt8(ascii: "[") else {
                    throw fail("\(path).Timestamps", "expected an array, found \(describe(reader.peek()))")
                }
                hasTimestamps = true
                try reader.beginArray()
                while try reader.nextElement() {
                    guard let time = try reader.readInstant() else {
                        throw fail(
                            "\(path).Timestamps[\(entry.times.count)]",
                            "not a timestamp: " + Timestamp.expected)
                    }
                    entry.times.append(time)
                }
            case "Values":
                guard reader.peek() == UInt8(ascii: "[") else {
                    throw fail("\(path).Values", "expected an array, found \(describe(reader.peek()))")
                }
                hasValues = true
                try reader.beginArray()
                while try reader.nextElement() {
                    let kind = describe(reader.peek())
                    guard let value = try reader.readNumber() else {
                        throw fail("\(path).Values[\(entry.values.count)]", "expected a number, found \(kind)")
                    }
                    entry.values.append(value)
                }
            case "Messages":
                entry.messages = try reader.readValue()
            default:
                try reader.skipValue()
            }
        }
        guard hasId else { throw fail(path, "the required key \"Id\" is missing") }
        guard hasTimestamps else { throw fail(path, "the required key \"Timestamps\" is missing") }
        guard hasValues else { throw fail(path, "the required key \"Values\" is missing") }
        return entry
    }

    /// The request's [StartTime, EndTime) when its query file is a `--cli-input-json` file that has
    /// them: CloudWatch returns nothing outside it, so points there are clock skew or corruption.
    static func requestedRange(_ sidecar: JSONCursor?) throws(HeadroomError) -> Range<Instant>? {
        guard let sidecar, sidecar.object != nil, let start = sidecar["StartTime"], let end = sidecar["EndTime"] else {
            return nil
        }
        let from = try start.instant()
        let to = try end.instant()
        guard from < to else { throw end.fail("EndTime must be after StartTime") }
        return from..<to
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
