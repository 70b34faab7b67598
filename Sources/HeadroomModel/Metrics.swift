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
}
