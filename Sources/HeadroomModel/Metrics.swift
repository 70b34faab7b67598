/// A CloudWatch dimension.
public struct MetricDimension: Codable, Hashable, Comparable, Sendable {
    public var name: String
    public var value: String
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
    public static func < (a: MetricDimension, b: MetricDimension) -> Bool { (a.name, a.value) < (b.name, b.value) }
}

/// What a series measures: a CloudWatch metric with a statistic and period, a CloudWatch
/// metric-math expression, or a Prometheus series named by its labels (`__name__` included).
public enum MetricIdentity: Codable, Hashable, Sendable {
    case metric(MetricStat)
    case expression(String, period: Int?)
    case prometheus(labels: [MetricDimension])
}

/// A CloudWatch `MetricStat`: namespace, metric name, dimensions (kept sorted), statistic, period.
public struct MetricStat: Codable, Hashable, Sendable {
    public var namespace: String
    public var metricName: String
    public var dimensions: [MetricDimension]
    public var stat: String
    public var period: Int
    public var unit: String?

    public init(
        namespace: String, metricName: String, dimensions: [MetricDimension], stat: String, period: Int,
        unit: String? = nil
    ) {
        self.namespace = namespace
        self.metricName = metricName
        self.dimensions = dimensions.sorted()
        self.stat = stat
        self.period = period
        self.unit = unit
    }

    public func dimension(_ name: String) -> String? { dimensions.first { $0.name == name }?.value }
}

/// One datapoint. A period with no datapoint is simply absent: a gap, never a zero.
public struct Point: Codable, Hashable, Sendable {
    public var time: Instant
    public var value: Double

    /// CloudWatch stores values from −2^360 to 2^360 and no others. A read value outside that
    /// range, NaN or an infinity is a gap with a warning, so no sum of points can overflow.
    public static let largestValue = 0x1p360
    public static func isStorable(_ value: Double) -> Bool { value.isFinite && abs(value) <= largestValue }
    /// The warning for `count` values that were not storable.
    public static func unstorable(_ count: Int) -> String {
        "\(count) non-finite or out-of-range values (NaN, Infinity, beyond ±2^360) treated as gaps"
    }
    public init(time: Instant, value: Double) {
        self.time = time
        self.value = value
    }
}

/// A time series read from a source file, points sorted oldest first with unique timestamps.
public struct MetricSeries: Codable, Hashable, Sendable {
    public var identity: MetricIdentity
    public var label: String
    public var points: [Point]
    /// Warnings about this series, e.g. `StatusCode PartialData` or API messages.
    public var warnings: [String]
    /// The source file, relative to the project.
    public var source: String

    public init(
        identity: MetricIdentity, label: String, points: [Point], warnings: [String] = [], source: String
    ) {
        self.identity = identity
        self.label = label
        self.points = points
        self.warnings = warnings
        self.source = source
    }

    public var stat: MetricStat? {
        if case .metric(let stat) = identity { return stat }
        return nil
    }

    /// The points inside `interval`, in the series' order: what `points.filter` gives, but the
    /// series' own array (no copy) when every point is inside, and an exact copy of the run
    /// inside when the points are oldest first (as every adapter leaves them). A week's charts
    /// keep these, so a report does not hold a second copy of the points it draws.
    public func points(in interval: Range<Instant>) -> [Point] {
        guard zip(points, points.dropFirst()).allSatisfy({ $0.time < $1.time }) else {
            return points.filter { interval.contains($0.time) }
        }
        let lower = points.partitioningIndex(where: { $0.time >= interval.lowerBound })
        let upper = points[lower...].partitioningIndex(where: { $0.time >= interval.upperBound })
        return lower == 0 && upper == points.count ? points : Array(points[lower..<upper])
    }

    /// Series with the same identity from one file taken as one, in the order first seen, their
    /// points by `uniquePoints` (which also sorts them oldest first).
    public static func merged(_ series: [MetricSeries]) -> [MetricSeries] {
        var order: [MetricIdentity] = []
        var byIdentity: [MetricIdentity: MetricSeries] = [:]
        for part in series {
            if byIdentity[part.identity] == nil {
                order.append(part.identity)
                byIdentity[part.identity] = part
            } else {
                byIdentity[part.identity]!.points += part.points
                byIdentity[part.identity]!.warnings += part.warnings.filter {
                    !byIdentity[part.identity]!.warnings.contains($0)
                }
            }
        }
        return order.map { identity in
            var merged = byIdentity[identity]!
            let (unique, repeated) = MetricSeries.uniquePoints(merged.points)
            merged.points = unique
            if let repeated { merged.warnings.append(repeated) }
            return merged
        }
    }

    /// The one rule for repeated timestamps, in every adapter and where one metric's files are
    /// taken together: points end up oldest first, a timestamp read more than once keeps the
    /// value read first (in file order, then in path order), and a warning says how many
    /// timestamps repeated and how many of those had another value. Nil warning: no repeats.
    public static func uniquePoints(_ points: [Point]) -> (points: [Point], warning: String?) {
        if zip(points, points.dropFirst()).allSatisfy({ $0.time < $1.time }) { return (points, nil) }
        // CloudWatch writes newest first by default.
        if zip(points, points.dropFirst()).allSatisfy({ $0.time > $1.time }) { return (points.reversed(), nil) }
        // Stable: of points with one timestamp, the one read first comes first.
        let ordered = points.indices.sorted { (points[$0].time, $0) < (points[$1].time, $1) }.map { points[$0] }
        var unique: [Point] = []
        unique.reserveCapacity(ordered.count)
        var repeated = 0
        var conflicting = 0
        var state: (repeated: Bool, conflicting: Bool) = (false, false)
        for point in ordered {
            if let last = unique.last, last.time == point.time {
                if !state.repeated { repeated += 1 }
                state.repeated = true
                if !state.conflicting, last.value != point.value, !(last.value.isNaN && point.value.isNaN) {
                    conflicting += 1
                    state.conflicting = true
                }
                continue
            }
            state = (false, false)
            unique.append(point)
        }
        guard repeated > 0 else { return (unique, nil) }
        let differing =
            conflicting == 0
            ? " with the same value"
            : conflicting == repeated ? " with different values" : ", \(conflicting) with different values"
        let warning =
            (repeated == 1 ? "1 timestamp appears" : "\(repeated) timestamps appear") + " more than once" + differing
            + "; the first value read was kept"
        return (unique, warning)
    }
}

extension Collection {
    /// The first index whose element satisfies `belongs`, for a collection in which every element
    /// that satisfies it comes after every element that does not (binary search).
    public func partitioningIndex(where belongs: (Element) -> Bool) -> Index {
        var low = startIndex
        var count = self.count
        while count > 0 {
            let half = count / 2
            let middle = index(low, offsetBy: half)
            if belongs(self[middle]) {
                count = half
            } else {
                low = index(after: middle)
                count -= half + 1
            }
        }
        return low
    }
}
