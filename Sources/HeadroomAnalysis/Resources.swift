import HeadroomModel

/// A resource other than a Lambda function (an API, workflow, table, queue, stream, …) with the
/// week's catalog signals and its health.
public struct ResourceReport: Sendable, Codable {
    public var kind: String
    public var namespace: String
    /// The resource's dimension values joined by "/", ARNs shortened to their last part.
    public var name: String
    public var service: String
    public var signals: [Signal]
    public var health: HealthStatus
    /// Files with datapoints in the report week or the week before, sorted.
    public var sources: [String]

    /// The volume signal (requests, executions, messages sent), if the catalog names one.
    public var volume: Signal? { signals.first { $0.metric.role == .volume } }
}

/// One catalog metric of one resource over the report week and the week before.
public struct Signal: Sendable, Equatable, Codable {
    public var metric: ServiceCatalog.Metric
    /// The week's datapoints combined with the metric's rollup; nil without datapoints.
    public var current: Double?
    public var previous: Double?
    /// `current` as a % of the `percentOf` metric's week, when that is known and above 0.
    public var percent: Double?
    /// How `current` was computed, e.g. "sum of 168 datapoints (period 3600 s)".
    public var formula: String
    /// The week's datapoints, splits combined per time with the rollup across splits, for charts.
    public var points: [Point] = []
}

extension Analysis {
    /// The catalog signals of every resource in the data, keyed by namespace and resource name.
    /// A series belongs to a resource when its dimensions are exactly the namespace's resource
    /// dimensions, or those plus some of its `aggregate` dimensions (used only when no unsplit
    /// series of the metric exists).
    static func catalogSignals(
        _ series: [MetricSeries], catalog: ServiceCatalog, current: Range<Instant>, previous: Range<Instant>
    ) -> [ResourceKey: (signals: [Signal], sources: [String])] {
        var grouped: [ResourceKey: [MetricSeries]] = [:]
        for item in series {
            guard let stat = item.stat, let namespace = catalog.namespace(stat.namespace) else { continue }
            let names = Set(stat.dimensions.map(\.name))
            guard names.isSuperset(of: namespace.resource),
                names.subtracting(namespace.resource).isSubset(of: namespace.aggregate)
            else { continue }
            let parts = namespace.resource.map { stat.dimension($0)! }
            grouped[ResourceKey(namespace: namespace.namespace, name: displayName(parts)), default: []].append(item)
        }
        var result: [ResourceKey: (signals: [Signal], sources: [String])] = [:]
        for (key, items) in grouped {
            let namespace = catalog.namespace(key.namespace)!
            var signals: [Signal] = []
            for metric in namespace.metrics {
                let matching = items.filter {
                    $0.stat!.metricName == metric.name && $0.stat!.stat.lowercased() == metric.stat.lowercased()
                }
                guard !matching.isEmpty else { continue }
                let unsplit = matching.filter { $0.stat!.dimensions.count == namespace.resource.count }
                let chosen = unsplit.isEmpty ? matching : unsplit
                let (now, formula, points) = rollup(chosen, metric, in: current, split: unsplit.isEmpty)
                signals.append(
                    Signal(
                        metric: metric, current: now, previous: rollup(chosen, metric, in: previous, split: false).0,
                        percent: nil, formula: formula, points: points))
            }
            for index in signals.indices {
                guard let base = signals[index].metric.percentOf,
                    let total = signals.first(where: { $0.metric.name == base })?.current, total > 0,
                    let value = signals[index].current
                else { continue }
                signals[index].percent = value / total * 100
            }
            let sources = Set(items.filter { overlaps($0, previous.lowerBound..<current.upperBound) }.map(\.source))
            result[key] = (signals, sources.sorted())
        }
        return result
    }

    struct ResourceKey: Hashable {
        var namespace: String
        var name: String
    }

    /// Dimension values joined by "/"; an ARN becomes its last ":"-separated part.
    static func displayName(_ parts: [String]) -> String {
        parts.map { $0.hasPrefix("arn:") ? String($0.split(separator: ":").last ?? Substring($0)) : $0 }
            .joined(separator: "/")
    }

    /// One metric's week: each split (e.g. each DynamoDB Operation) is read from its best series
    /// (see `pick`), rolled up over the interval, and the splits are combined with the same rollup
    /// (`mean` splits are combined by taking the worst).
    private static func rollup(
        _ series: [MetricSeries], _ metric: ServiceCatalog.Metric, in interval: Range<Instant>, split: Bool
    ) -> (Double?, String, [Point]) {
        var bySplit: [[MetricDimension]: [MetricSeries]] = [:]
        for item in series { bySplit[item.stat!.dimensions, default: []].append(item) }
        let across: ServiceCatalog.Metric.Rollup =
            metric.rollup == .mean ? (metric.bad == .lower ? .min : .max) : metric.rollup
        // The points to draw: the one split's as they are, or several combined per time.
        var drawn: [Point] = []
        var byTime: [Instant: [Double]] = [:]
        var values: [Double] = []
        var points = 0
        var periods = Set<Int>()
        for key in bySplit.keys.sorted(by: { $0.lexicographicallyPrecedes($1) }) {
            guard let chosen = pick(bySplit[key]!, metric: metric.name, stat: metric.stat, in: interval) else {
                continue
            }
            let week = chosen.points(in: interval)
            let inWeek = week.map(\.value)
            guard !inWeek.isEmpty else { continue }
            if bySplit.count == 1 {
                drawn = week
            } else {
                for point in week { byTime[point.time, default: []].append(point.value) }
            }
            points += inWeek.count
            periods.insert(chosen.stat!.period)
            values.append(combine(inWeek, metric.rollup))
        }
        guard !values.isEmpty else { return (nil, "no datapoints", []) }
        let word = ["sum": "sum", "max": "highest", "min": "lowest", "mean": "mean"][metric.rollup.rawValue]!
        var formula =
            "\(word) of \(points) \(metric.stat) \(points == 1 ? "datapoint" : "datapoints") (period "
            + periods.sorted().map { "\($0) s" }.joined(separator: ", ") + ")"
        if split && values.count > 1 {
            formula +=
                ", \(across == .sum ? "summed" : across == .max ? "highest" : "lowest") across \(values.count) splits"
        }
        if !byTime.isEmpty { drawn = byTime.keys.sorted().map { Point(time: $0, value: combine(byTime[$0]!, across)) } }
        return (combine(values, across), formula, drawn)
    }

    private static func combine(_ values: [Double], _ rollup: ServiceCatalog.Metric.Rollup) -> Double {
        switch rollup {
        case .sum: values.reduce(0, +)
        case .max: values.max()!
        case .min: values.min()!
        case .mean: values.reduce(0, +) / Double(values.count)
        }
    }

    /// Health from catalog signals, for the roles in `roles`:
    /// - volume: no datapoint this week is "no data";
    /// - errors: the volume-scaled error rule when the rate is known, else any error warns;
    /// - throttles, loss: any warns;
    /// - backlog, utilisation: the catalog's warning and critical thresholds.
    static func health(
        _ signals: [Signal], roles: Set<ServiceCatalog.Metric.Role>, rules: Configuration.HealthRules
    ) -> HealthStatus {
        var status = HealthStatus(level: .ok, reasons: [])
        if roles.contains(.volume) {
            if let volume = signals.first(where: { $0.metric.role == .volume }), volume.current == nil {
                return HealthStatus(level: .noData, reasons: ["no \(volume.metric.name) datapoints this week"])
            }
            if signals.allSatisfy({ $0.current == nil }) {
                return HealthStatus(level: .noData, reasons: ["no datapoints this week"])
            }
        }
        let volume = signals.first { $0.metric.role == .volume }?.current
        for signal in signals where roles.contains(signal.metric.role) {
            guard let value = signal.current else { continue }
            let name = signal.metric.label
            switch signal.metric.role {
            case .errors:
                guard value > 0 else { continue }
                if let rate = signal.percent, let volume {
                    errorRule(errors: value, volume: volume, rate: rate, what: name, rules: rules, into: &status)
                } else {
                    status.raise(.warning, "\(Format.count(value)) \(name)")
                }
            case .throttles, .loss:
                guard value > 0 else { continue }
                let perThousand = signal.percent.map { " (\(ValueUnit.count.format($0 * 10)) per 1,000)" } ?? ""
                status.raise(.warning, "\(Format.count(value)) \(name)\(perThousand)")
            case .backlog, .utilisation:
                let worse: (Double, Double) -> Bool = signal.metric.bad == .lower ? { $0 <= $1 } : { $0 >= $1 }
                let unit = signal.metric.unit
                if let critical = signal.metric.critical, worse(value, critical) {
                    status.raise(
                        .critical,
                        "\(name) reached \(Format.measure(value, unit: unit)) (critical at \(Format.measure(critical, unit: unit)))"
                    )
                } else if let warning = signal.metric.warning, worse(value, warning) {
                    status.raise(
                        .warning,
                        "\(name) reached \(Format.measure(value, unit: unit)) (warning at \(Format.measure(warning, unit: unit)))"
                    )
                }
            default:
                continue
            }
        }
        return status
    }

    /// Every resource outside AWS/Lambda with a service from `services:` patterns.
    static func resources(
        _ signals: [ResourceKey: (signals: [Signal], sources: [String])], catalog: ServiceCatalog,
        configuration: Configuration
    ) -> [ResourceReport] {
        signals.keys.filter { $0.namespace != "AWS/Lambda" }.sorted {
            ($0.namespace, $0.name) < ($1.namespace, $1.name)
        }
        .map { key in
            let entry = signals[key]!
            return ResourceReport(
                kind: catalog.namespace(key.namespace)!.kind, namespace: key.namespace, name: key.name,
                service: serviceName(for: key.name, services: configuration.services), signals: entry.signals,
                health: health(
                    entry.signals, roles: Set(ServiceCatalog.Metric.Role.allCases), rules: configuration.health),
                sources: entry.sources)
        }
    }
}

/// A critical path's combined health: the worst of its steps.
public struct PathReport: Sendable, Codable {
    public var name: String
    public var description: String?
    public var steps: [Step]
    public var health: HealthStatus

    public struct Step: Sendable, Equatable, Codable {
        /// As written in `headroom.yml`.
        public var name: String
        /// function, api, queue, …; nil when no resource has the name.
        public var kind: String?
        /// The name of the function or resource the step found.
        public var resource: String?
        public var service: String?
        public var health: HealthStatus
    }
}

extension Analysis {
    /// Each step is the function or resource with its name (`kind:name` picks a kind). A step
    /// without a resource is "no data"; the path's status is the worst of its steps, and its
    /// reasons name the step they come from.
    static func criticalPaths(_ paths: [Configuration.CriticalPath], services: [ServiceReport]) -> [PathReport] {
        let everything: [(kind: String, name: String, service: String, health: HealthStatus)] =
            services.flatMap { service in
                service.functions.map { ("function", $0.name, service.name, $0.health) }
                    + service.resources.map { ($0.kind, $0.name, service.name, $0.health) }
            }
        return paths.map { path in
            var combined = HealthStatus(level: .ok, reasons: [])
            let steps = path.steps.map { text -> PathReport.Step in
                let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
                let kind = parts.count == 2 ? parts[0] : nil
                let name = parts.last ?? text
                guard let found = everything.first(where: { $0.name == name && (kind == nil || $0.kind == kind) })
                else {
                    let status = HealthStatus(level: .noData, reasons: ["no resource named \(text) in the data"])
                    combined.level = max(combined.level, .noData)
                    combined.reasons.append("\(text): \(status.reasons[0])")
                    return PathReport.Step(name: text, kind: nil, resource: nil, service: nil, health: status)
                }
                combined.level = max(combined.level, found.health.level)
                combined.reasons += found.health.reasons.map { "\(found.name): \($0)" }
                return PathReport.Step(
                    name: text, kind: found.kind, resource: found.name, service: found.service, health: found.health)
            }
            return PathReport(name: path.name, description: path.description, steps: steps, health: combined)
        }
    }
}
