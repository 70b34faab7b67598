/// The service catalog (`builtin/catalog.yml`): for each CloudWatch namespace, the metrics that
/// matter, their unit and statistic, which direction is bad and how a week of them rolls up.
public struct ServiceCatalog: Sendable, Equatable {
    public var namespaces: [Namespace]

    public init(namespaces: [Namespace]) { self.namespaces = namespaces }

    public func namespace(_ name: String) -> Namespace? { namespaces.first { $0.namespace == name } }

    public struct Namespace: Sendable, Equatable {
        public var namespace: String
        /// What one resource is: function, api, workflow, table, queue, stream, …
        public var kind: String
        /// The dimensions that name one resource.
        public var resource: [String]
        /// Extra dimensions a metric may be split by; such series are combined with the rollup.
        public var aggregate: [String]
        public var metrics: [Metric]

        public init(namespace: String, kind: String, resource: [String], aggregate: [String] = [], metrics: [Metric]) {
            self.namespace = namespace
            self.kind = kind
            self.resource = resource
            self.aggregate = aggregate
            self.metrics = metrics
        }

        /// The metric whose role is `volume`, if any.
        public var volume: Metric? { metrics.first { $0.role == .volume } }
    }

    public struct Metric: Sendable, Equatable, Codable {
        public enum Role: String, Sendable, CaseIterable, Codable {
            case volume, errors, clientErrors, throttles, loss, latency, backlog, utilisation, capacity, traffic
        }
        public enum Direction: String, Sendable, CaseIterable, Codable { case higher, lower, none }
        public enum Rollup: String, Sendable, CaseIterable, Codable { case sum, max, min, mean }

        public var name: String
        public var stat: String
        public var unit: String
        public var role: Role
        public var bad: Direction
        public var rollup: Rollup
        /// The metric a count is a percentage of (errors, client errors, throttles).
        public var percentOf: String?
        /// For consumed capacity: the provisioned metric it is compared with.
        public var against: String?
        /// Thresholds in the metric's unit, reached in the `bad` direction.
        public var warning: Double?
        public var critical: Double?
        /// Also published for the whole account, without dimensions.
        public var account: Bool

        public init(
            name: String, stat: String, unit: String, role: Role, bad: Direction, rollup: Rollup,
            percentOf: String? = nil, against: String? = nil, warning: Double? = nil, critical: Double? = nil,
            account: Bool = false
        ) {
            self.name = name
            self.stat = stat
            self.unit = unit
            self.role = role
            self.bad = bad
            self.rollup = rollup
            self.percentOf = percentOf
            self.against = against
            self.warning = warning
            self.critical = critical
            self.account = account
        }

        /// "Duration p99", "Errors".
        public var label: String { stat == "Sum" ? name : "\(name) \(stat)" }
    }

    public static let units = ["Count", "Milliseconds", "Seconds", "Bytes", "Percent", "None"]
}
