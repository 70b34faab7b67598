import Foundation
import HeadroomModel

/// `aws cloudwatch get-metric-statistics` output: `{"Label": …, "Datapoints": [...]}`.
///
/// The output does not say which metric it is; that comes from the request, saved beside it as
/// `<stem>.query.json` (`--cli-input-json` form: Namespace, MetricName, Dimensions, Period,
/// Statistics, ExtendedStatistics), or written under `metric:` on the source in `headroom.yml`. One series is made per statistic. Rules:
/// - Datapoints come in no particular order; they are sorted. Repeated timestamps follow
///   `MetricSeries.uniquePoints`: the first datapoint's value is kept and the series says so.
/// - An extended statistic (`p99`) that was asked for but is absent from a datapoint is
///   unavailable for that period: a gap and a warning, never 0.
/// - A statistic that was not asked for is still read when present.
/// - Datapoints outside the request's StartTime–EndTime (far-future stamps, clock skew) are dropped
///   with a warning.
enum CloudWatchGetMetricStatistics {
    static let statistics = ["SampleCount", "Average", "Sum", "Minimum", "Maximum"]

    static func read(_ json: JSONValue, _ input: InputFile) throws(HeadroomError) -> [MetricSeries] {
        let root = JSONCursor(json, file: input.display)
        guard let query = input.sidecar else {
            throw HeadroomError(
                .ingest, file: input.display, "get-metric-statistics output without its request",
                remedy: "save the request (Namespace, MetricName, Dimensions, Period, Statistics) beside it as "
                    + URL(fileURLWithPath: Sources.sidecarName(for: input.display)).lastPathComponent)
        }
        let namespace = try query.require("Namespace").string()
        let metricName = try query.require("MetricName").string()
        var dimensions: [MetricDimension] = []
        for dimension in try query["Dimensions"]?.array() ?? [] {
            dimensions.append(
                MetricDimension(
                    name: try dimension.require("Name").string(), value: try dimension.require("Value").string()))
        }
        let period = try query.require("Period").int()
        var requested = try (query["Statistics"]?.array() ?? []).map { item throws(HeadroomError) in try item.string() }
        let extended = try (query["ExtendedStatistics"]?.array() ?? []).map { item throws(HeadroomError) in
            try item.string()
        }
        let label = try root["Label"]?.string() ?? metricName

        var points: [String: [Point]] = [:]
        var unit: String?
        var missingExtended: [String: Int] = [:]
        var nonFinite = 0
        var outside = 0
        let range = try CloudWatchGetMetricData.requestedRange(query)
        for datapoint in try root.require("Datapoints").array() {
            let time = try datapoint.require("Timestamp").instant()
            if let range, !range.contains(time) {
                outside += 1
                continue
            }
            if unit == nil { unit = try datapoint["Unit"]?.string() }
            for statistic in statistics {
                guard let value = datapoint[statistic] else { continue }
                if !requested.contains(statistic) { requested.append(statistic) }
                let number = try value.number()
                if Point.isStorable(number) {
                    points[statistic, default: []].append(Point(time: time, value: number))
                } else {
                    nonFinite += 1
                }
            }
            let values = try datapoint["ExtendedStatistics"]?.members() ?? []
            for name in extended where !values.contains(where: { $0.key == name }) {
                missingExtended[name, default: 0] += 1
            }
            for (name, value) in values {
                let number = try value.number()
                if Point.isStorable(number) {
                    points[name, default: []].append(Point(time: time, value: number))
                } else {
                    nonFinite += 1
                }
            }
        }
        var warnings: [String] = []
        for (name, count) in missingExtended.sorted(by: { $0.key < $1.key }) {
            warnings.append("\(name) unavailable for \(count) datapoints")
        }
        if nonFinite > 0 { warnings.append(Point.unstorable(nonFinite)) }
        if outside > 0 {
            warnings.append(
                plural(outside, "datapoint")
                    + " outside the requested StartTime–EndTime dropped (clock skew or a future timestamp)")
        }
        let names =
            requested + extended + points.keys.filter { !requested.contains($0) && !extended.contains($0) }.sorted()
        return names.map { statistic in
            let (unique, repeated) = MetricSeries.uniquePoints(points[statistic] ?? [])
            return MetricSeries(
                identity: .metric(
                    MetricStat(
                        namespace: namespace, metricName: metricName, dimensions: dimensions, stat: statistic,
                        period: period,
                        unit: unit)),
                label: "\(label) \(statistic)",
                points: unique, warnings: warnings + (repeated.map { [$0] } ?? []), source: input.display)
        }
    }
}
